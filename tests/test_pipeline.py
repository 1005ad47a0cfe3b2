"""Bulk runs: per-file errors, and the same results in the same order with parallel workers."""

from __future__ import annotations

from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import pytest

from assistant import pipeline
from assistant.pipeline import collect_files, run_batch


@pytest.fixture
def files(tmp_path: Path, notices_dir: Path) -> list[Path]:
    (tmp_path / "empty.txt").write_bytes(b"")
    return [*collect_files([notices_dir]), tmp_path / "empty.txt", *collect_files([notices_dir])]


def test_process_pool_keeps_file_order_and_per_file_errors(files: list[Path], monkeypatch):
    monkeypatch.setattr(pipeline, "POOL_MIN_FILES", 2)
    monkeypatch.setattr(pipeline, "AHEAD_PER_WORKER", 1)  # a window smaller than the files: order still kept
    seen: list[str] = []
    sequential = run_batch(files)
    parallel = run_batch(files, workers=2, on_file=lambda path, processed, error: seen.append(path.name))
    assert [p.result for p in parallel.processed] == [p.result for p in sequential.processed]
    assert [p.notice for p in parallel.processed] == [p.notice for p in sequential.processed]
    assert [len(r.records) for r in parallel.results] == [9, 30, 24, 15, 8] * 2
    assert [Path(e.path).name for e in parallel.errors] == ["empty.txt"]
    assert seen == [f.name for f in files]  # reported as they finish, in input order


def test_a_finishing_step_runs_in_the_workers_and_its_values_come_back_in_order(
    files: list[Path], monkeypatch
):
    """`audit extract` has each notice's export lines written in the worker: what comes back is them."""
    from functools import partial

    from assistant.export.pieces import ExportPiece, export_piece

    monkeypatch.setattr(pipeline, "POOL_MIN_FILES", 2)
    finish = partial(export_piece, fmt="jsonl")
    pooled = list(pipeline.iter_files(files, workers=2, finish=finish))
    alone = list(pipeline.iter_files(files, workers=1, finish=finish))
    assert pooled == alone
    assert [p.name for p, _, _ in pooled] == [f.name for f in files]
    assert [done.records if isinstance(done, ExportPiece) else error for _, done, error in pooled] == [
        9, 30, 24, 15, 8, "文件为空：empty.txt。请检查文件是否完整。", 9, 30, 24, 15, 8,
    ]  # fmt: skip


def test_rules_run_in_processes_and_llm_extractors_in_threads():
    with pipeline._executor("rules", 2) as pool:
        assert isinstance(pool, ProcessPoolExecutor)
    with pipeline._executor("llm", 2) as pool:
        assert isinstance(pool, ThreadPoolExecutor)


def test_few_files_run_in_one_process(files: list[Path], monkeypatch):
    def no_pool(*args: object) -> None:
        raise AssertionError("a pool for a handful of files")

    monkeypatch.setattr(pipeline, "_executor", no_pool)
    assert len(run_batch(files[:3], workers=2).processed) == 3


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


def test_indexing_with_a_pool_gives_the_same_store(tmp_path: Path, notices_dir: Path, monkeypatch):
    from assistant.store import NoticeStore

    monkeypatch.setattr(pipeline, "POOL_MIN_FILES", 2)
    one = NoticeStore.open(path=tmp_path / "one")
    two = NoticeStore.open(path=tmp_path / "two")
    report_one = pipeline.index_files([notices_dir], one)
    from assistant.store import bm25, prepare

    here: list[str] = []  # documents tokenised, and notices prepared, in this process
    monkeypatch.setattr(bm25, "_terms", lambda text, terms=bm25._terms: (here.append(text), terms(text))[1])
    monkeypatch.setattr(prepare, "prepare", lambda *a, p=prepare.prepare: (here.append("prepared"), p(*a))[1])
    report_two = pipeline.index_files([notices_dir], two, workers=2)
    assert [a.notice_id for a in report_two.added] == [a.notice_id for a in report_one.added]
    assert here == []  # chunked, tokenised and embedded in the workers
    assert two.vectors.count() == one.vectors.count() == sum(a.chunks for a in report_one.added)
    assert sorted(two.bm25.ids()) == sorted(one.bm25.ids())
    for query in ("车辆燃油使用不规范", "公务接待", "执法不规范"):
        assert two.bm25.scores(query) == one.bm25.scores(query)
        assert [h.chunk.chunk_id for h in two.search(query)] == [h.chunk.chunk_id for h in one.search(query)]
