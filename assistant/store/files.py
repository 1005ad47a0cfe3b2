"""What the store keeps beside the vectors, as JSON files: notices, results, chunks, a manifest.

Notices (with their full text and offset map) are read only when asked for; results and
chunks are small and kept in memory, so the records table and BM25 survive a restart.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from pydantic import BaseModel, TypeAdapter

from assistant.atomic import write_atomic
from assistant.chunking import Chunk
from assistant.models import Notice, NoticeResult


class StoredNotice(BaseModel):
    notice_id: str
    source_name: str
    source_path: str | None = None
    organisation: str | None = None
    title: str | None = None
    published: dt.date | None = None
    records: int = 0
    flagged_records: int = 0
    chunks: int = 0
    extractor: str = "rules"
    added_at: dt.datetime


_MANIFEST = TypeAdapter(list[StoredNotice])
_CHUNKS = TypeAdapter(list[Chunk])


class StoreFiles:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.manifest_path = root / "manifest.json"

    def _path(self, kind: str, notice_id: str) -> Path:
        return self.root / kind / f"{notice_id}.json"

    def load_manifest(self) -> dict[str, StoredNotice]:
        if not self.manifest_path.is_file():
            return {}
        entries = _MANIFEST.validate_json(self.manifest_path.read_bytes())
        return {e.notice_id: e for e in entries}

    def save_manifest(self, entries: dict[str, StoredNotice]) -> None:
        write_atomic(self.manifest_path, _MANIFEST.dump_json(list(entries.values()), indent=1).decode())

    def save(self, notice: Notice, result: NoticeResult, chunks: list[Chunk]) -> None:
        write_atomic(self._path("notices", notice.notice_id), notice.model_dump_json())
        write_atomic(self._path("results", notice.notice_id), result.model_dump_json())
        write_atomic(self._path("chunks", notice.notice_id), _CHUNKS.dump_json(chunks).decode())

    def delete(self, notice_id: str) -> None:
        for kind in ("notices", "results", "chunks"):
            self._path(kind, notice_id).unlink(missing_ok=True)

    def notice(self, notice_id: str) -> Notice | None:
        path = self._path("notices", notice_id)
        return Notice.model_validate_json(path.read_bytes()) if path.is_file() else None

    def result(self, notice_id: str) -> NoticeResult | None:
        path = self._path("results", notice_id)
        return NoticeResult.model_validate_json(path.read_bytes()) if path.is_file() else None

    def chunks(self, notice_id: str) -> list[Chunk]:
        path = self._path("chunks", notice_id)
        return _CHUNKS.validate_json(path.read_bytes()) if path.is_file() else []
