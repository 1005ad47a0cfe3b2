"""Stores written before the database: JSON files (manifest, notices/, results/, chunks/).

On the first open they are copied into the database, then moved to `legacy-json/` — kept, never
deleted, so nothing is lost if the copy is ever doubted. A file that cannot be read is skipped and
named in `legacy-json/MIGRATION.txt`.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from pydantic import TypeAdapter, ValidationError

from assistant.chunking import Chunk
from assistant.models import Notice, NoticeResult
from assistant.store.database import ChangeRow, Database, NoticeRow
from assistant.store.models import StoredNotice
from assistant.store.rows import chunk_row, record_rows

LEGACY_DIR = "legacy-json"
_MANIFEST = TypeAdapter(list[StoredNotice])
_CHUNKS = TypeAdapter(list[Chunk])


def migrate_json_store(db: Database, root: Path) -> int:
    """Copy a JSON store into the database (once; the caller holds the writer lock). Returns notices copied."""
    manifest = root / "manifest.json"
    if not manifest.is_file():
        return 0
    problems: list[str] = []
    try:
        entries = _MANIFEST.validate_json(manifest.read_bytes())
    except (OSError, ValueError) as exc:
        entries, problems = [], [f"manifest.json：{exc}"]
    copied = 0
    for entry in entries:
        try:
            notice = Notice.model_validate_json((root / "notices" / f"{entry.notice_id}.json").read_bytes())
            result = NoticeResult.model_validate_json(
                (root / "results" / f"{entry.notice_id}.json").read_bytes()
            )
            chunks = _CHUNKS.validate_json((root / "chunks" / f"{entry.notice_id}.json").read_bytes())
        except (OSError, ValidationError, ValueError) as exc:
            problems.append(f"{entry.source_name}（{entry.notice_id}）：{str(exc).splitlines()[0]}")
            continue
        with db.session() as s:
            if s.get(NoticeRow, entry.notice_id) is not None:
                continue
            s.add(
                NoticeRow(
                    **entry.model_dump(),
                    notice_json=notice.model_dump_json(),
                    result_json=result.model_dump_json(),
                )
            )
            s.flush()
            s.add_all(record_rows(entry.notice_id, result.records))
            s.add_all(chunk_row(c) for c in chunks)
            s.add_all(ChangeRow(chunk_id=c.chunk_id, op="add") for c in chunks)
        copied += 1
    target = root / LEGACY_DIR
    target.mkdir(exist_ok=True)
    for name in ("manifest.json", "notices", "results", "chunks"):
        if (root / name).exists():
            shutil.move(str(root / name), str(target / name))
    report = [f"从 JSON 文件迁移到数据库：{copied} 份通报。", *(f"未能读取：{p}" for p in problems)]
    (target / "MIGRATION.txt").write_text("\n".join(report) + "\n", encoding="utf-8")
    return copied
