"""Bulk processing: many files in, results and per-file errors out, one bad file never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
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


def run_batch(
    files: list[Path],
    extractor: str = "rules",
    on_file: Callable[[Path, ProcessedNotice | None, str | None], None] | None = None,
) -> BatchResult:
    """Process every file; errors are kept per file with a readable message."""
    batch = BatchResult()
    for path in files:
        try:
            processed = process_file(path, extractor=extractor)
        except Exception as exc:  # every failure is reported per file, never fatal to the batch
            message = str(exc) or type(exc).__name__
            batch.errors.append(FileError(path=str(path), error=message))
            if on_file:
                on_file(path, None, message)
            continue
        batch.processed.append(processed)
        if on_file:
            on_file(path, processed, None)
    return batch
