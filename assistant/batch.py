"""Bulk processing: many files in, results and per-file errors out, one bad file never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.models import NoticeResult
from assistant.pipeline import ProcessedNotice, process_file

SUPPORTED_SUFFIXES = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")


class FileError(BaseModel):
    path: str
    error: str


class BatchResult(BaseModel):
    processed: list[ProcessedNotice] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)

    @property
    def results(self) -> list[NoticeResult]:
        return [p.result for p in self.processed]


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the supported files inside named folders (sorted, recursive)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES))
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _process(path: Path, extractor: str) -> tuple[ProcessedNotice | None, str | None]:
    try:
        return process_file(path, extractor=extractor), None
    except Exception as exc:  # every failure is reported per file, never fatal to the batch
        return None, str(exc) or type(exc).__name__


def run_batch(
    files: list[Path],
    extractor: str = "rules",
    on_file: Callable[[Path, ProcessedNotice | None, str | None], None] | None = None,
    workers: int = 1,
) -> BatchResult:
    """Process every file; errors are kept per file with a readable message.

    With `workers` > 1 notices are processed in threads (for the LLM extractors, whose time is
    spent waiting on the endpoint; the requests in flight stay bounded by the shared LLM caller).
    Results keep the order of `files` whatever order they finish in.
    """
    outcomes: dict[int, tuple[ProcessedNotice | None, str | None]] = {}
    if workers <= 1 or len(files) <= 1:
        for i, path in enumerate(files):
            outcomes[i] = _process(path, extractor)
            if on_file:
                on_file(path, *outcomes[i])
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch") as pool:
            futures = {pool.submit(_process, path, extractor): i for i, path in enumerate(files)}
            for future in as_completed(futures):
                i = futures[future]
                outcomes[i] = future.result()
                if on_file:
                    on_file(files[i], *outcomes[i])
    batch = BatchResult()
    for i, path in enumerate(files):
        processed, error = outcomes[i]
        if processed is not None:
            batch.processed.append(processed)
        else:
            batch.errors.append(FileError(path=str(path), error=error or "未知错误"))
    return batch
