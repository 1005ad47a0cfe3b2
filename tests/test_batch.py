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
