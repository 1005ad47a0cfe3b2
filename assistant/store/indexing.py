"""Index files into the store one by one, so progress shows and one bad file never stops the rest."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.batch import FileError, collect_files
from assistant.pipeline import process_file
from assistant.store.models import AddResult
from assistant.store.notice_store import NoticeStore

OnFile = Callable[[Path, AddResult | None, str | None], None]


class IndexReport(BaseModel):
    added: list[AddResult] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)


def index_paths(
    paths: Iterable[str | Path], store: NoticeStore, extractor: str = "rules", on_file: OnFile | None = None
) -> IndexReport:
    report = IndexReport()
    with store.bulk():
        for path in collect_files(paths):
            try:
                added = store.add(process_file(path, extractor=extractor))
            except Exception as exc:  # reported per file; the rest of the batch goes on
                message = str(exc) or type(exc).__name__
                report.errors.append(FileError(path=str(path), error=message))
                if on_file:
                    on_file(path, None, message)
                continue
            report.added.append(added)
            if on_file:
                on_file(path, added, None)
    return report
