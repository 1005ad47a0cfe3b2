"""Bulk processing: many files in, results and per-file errors out, one bad file never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.ingest.loaders import SUPPORTED_SUFFIXES
from assistant.models import Extractor, NoticeResult, ProcessedNotice
from assistant.pipeline import process_file
from assistant.store.models import AddResult

if TYPE_CHECKING:
    from assistant.store import NoticeStore


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
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            out.append(path)
    return list(dict.fromkeys(out))


def _process(path: Path, extractor: Extractor) -> tuple[ProcessedNotice | None, str | None]:
    try:
        return process_file(path, extractor=extractor), None
    except Exception as exc:  # every failure is reported per file, never fatal to the batch
        return None, str(exc) or type(exc).__name__


Outcome = tuple[Path, ProcessedNotice | None, str | None]
OnFile = Callable[[Path, ProcessedNotice | None, str | None], None]


def iter_files(
    files: list[Path], extractor: Extractor = Extractor.RULES, workers: int = 1
) -> Iterator[Outcome]:
    """The one loop over files: (path, processed or None, error or None) for each, in the files' order.

    With `workers` > 1 notices are processed in threads (for the LLM extractors, whose time is
    spent waiting on the endpoint; the requests in flight stay bounded by the shared LLM caller).
    """
    if workers <= 1 or len(files) <= 1:
        for path in files:
            yield (path, *_process(path, extractor))
        return
    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch") as pool:
        futures = [pool.submit(_process, path, extractor) for path in files]
        for path, future in zip(files, futures, strict=True):
            yield (path, *future.result())


def run_batch(
    files: list[Path], extractor: Extractor = Extractor.RULES, on_file: OnFile | None = None, workers: int = 1
) -> BatchResult:
    """Process every file; errors are kept per file with a readable message, results in file order."""
    batch = BatchResult()
    for path, processed, error in iter_files(files, extractor, workers):
        if on_file:
            on_file(path, processed, error)
        if processed is not None:
            batch.processed.append(processed)
        else:
            batch.errors.append(FileError(path=str(path), error=error or "未知错误"))
    return batch


class IndexReport(BaseModel):
    added: list[AddResult] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)


def index_files(
    paths: Iterable[str | Path],
    store: NoticeStore,
    extractor: Extractor = Extractor.RULES,
    on_file: Callable[[Path, AddResult | None, str | None], None] | None = None,
) -> IndexReport:
    """Extract and index files one by one (progress shows, one bad file never stops the rest)."""
    report = IndexReport()
    with store.bulk():
        for path, processed, error in iter_files(collect_files(paths), extractor):
            added = None
            if processed is not None:
                try:
                    added = store.add(processed)
                except Exception as exc:  # reported per file; the rest of the batch goes on
                    if getattr(exc, "stops_batch", False):
                        raise  # a full disk or a damaged store: every next file would fail too
                    error = str(exc) or type(exc).__name__
            if added is not None:
                report.added.append(added)
            else:
                report.errors.append(FileError(path=str(path), error=error or "未知错误"))
            if on_file:
                on_file(path, added, error)
    return report
