"""Uploaded files into the store, one by one: a bad file is reported and the others still go in.

Each upload is first written under its own name in a temporary folder (the file name becomes the
notice's source name) and processed there; only a file that loads is kept, under
`<store>/uploads/`, so its path is stable and uploading a new version of the same file replaces
the old notice in the store (NoticeStore.add keys replacement on the source path).
"""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.pipeline import iter_files
from assistant.store import NoticeStore

UPLOAD_DIR = "uploads"
_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


class UploadOutcome(BaseModel):
    name: str
    action: str | None = None  # AddResult.action when it went in
    notice_id: str | None = None
    records: int = 0
    flagged: int = 0
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


class ImportReport(BaseModel):
    outcomes: list[UploadOutcome] = Field(default_factory=list)

    @property
    def succeeded(self) -> list[UploadOutcome]:
        return [o for o in self.outcomes if o.ok]

    @property
    def failed(self) -> list[UploadOutcome]:
        return [o for o in self.outcomes if not o.ok]


def safe_name(name: str) -> str:
    """The base name only, with characters no file system accepts replaced."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip().lstrip(".")
    return _UNSAFE.sub("_", base) or "upload.txt"


def import_uploads(
    files: Sequence[tuple[str, bytes]],
    store: NoticeStore,
    *,
    extractor: str = "rules",
    on_file: Callable[[int, int, UploadOutcome], None] | None = None,
    lock: threading.RLock | None = None,
) -> ImportReport:
    """Process and store each (file name, content); `on_file(i, total, outcome)` after each one.

    Each upload is staged in a folder of its own, so two files of the same name in one batch are two
    notices, and kept under the store by its content hash (`uploads/<hash>/<name>`): a later upload
    of another file with that name never overwrites it. The files go through the one loop over files.
    """
    report = ImportReport()
    keep_root = Path(store.path) / UPLOAD_DIR
    guard: AbstractContextManager[object] = lock if lock is not None else nullcontext()
    with tempfile.TemporaryDirectory(prefix="audit-upload-") as tmp:
        staged: list[Path] = []
        for i, (raw_name, content) in enumerate(files, start=1):
            path = Path(tmp) / str(i) / safe_name(raw_name)
            path.parent.mkdir()
            path.write_bytes(content)
            staged.append(path)
        for i, (path, processed, error) in enumerate(iter_files(staged, extractor), start=1):
            outcome = UploadOutcome(name=path.name, error=error)
            if processed is not None:
                try:
                    digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
                    kept = keep_root / digest / path.name
                    kept.parent.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(path, kept)
                    processed.notice.source_path = str(kept)
                    with guard:
                        added = store.add(processed)
                    result = processed.result
                    outcome = UploadOutcome(
                        name=path.name,
                        action=added.action,
                        notice_id=added.notice_id,
                        records=len(result.records),
                        flagged=sum(1 for r in result.records if r.flags),
                    )
                except Exception as exc:  # reported per file; the rest of the upload goes on
                    outcome = UploadOutcome(name=path.name, error=str(exc) or type(exc).__name__)
            report.outcomes.append(outcome)
            if on_file:
                on_file(i, len(files), outcome)
    return report
