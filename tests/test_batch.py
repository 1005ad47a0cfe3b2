"""Bulk runs: per-file errors, and the same results in the same order with parallel workers."""

from __future__ import annotations

from pathlib import Path

from assistant.batch import collect_files, run_batch


def test_parallel_workers_keep_file_order_and_per_file_errors(tmp_path: Path, notices_dir: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    files = [*collect_files([notices_dir]), tmp_path / "empty.txt"]
    seen: list[str] = []
    sequential = run_batch(files)
    parallel = run_batch(files, workers=3, on_file=lambda path, processed, error: seen.append(path.name))
    assert [p.result for p in parallel.processed] == [p.result for p in sequential.processed]
    assert [len(r.records) for r in parallel.results] == [9, 30, 24, 15, 8]
    assert [Path(e.path).name for e in parallel.errors] == ["empty.txt"]
    assert sorted(seen) == sorted(f.name for f in files)


def test_a_folder_holds_every_type_a_file_loads_by(tmp_path: Path):
    """One table of types: what loads by name (.text, .xhtml, upper case) is found in a folder too."""
    from assistant.ingest.loaders import FORMATS, load_file

    names = ["a.text", "b.TXT", "c.xhtml", "d.md", "skip.doc", "skip.csv"]
    for name in names:
        (tmp_path / name).write_text(
            "某某单位巡察整改进展情况的通报正文内容，用于测试文件类型。", encoding="utf-8"
        )
    found = [p.name for p in collect_files([tmp_path])]
    assert found == ["a.text", "b.TXT", "c.xhtml", "d.md"]
    assert [load_file(tmp_path / n).format for n in found] == ["txt", "txt", "html", "txt"]
    assert set(FORMATS) == {".txt", ".text", ".md", ".docx", ".pdf", ".html", ".htm", ".xhtml"}
