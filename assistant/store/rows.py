"""Rows of the store's database made from the pipeline's models: one place, used by adds,
the migration of JSON stores and rebuilds alike."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.chunking import Chunk
from assistant.models import Record
from assistant.store.database import ChunkRow, RecordRow


def flag_field(codes: Iterable[str]) -> str:
    """Flag codes as " a b ", so one code is found with LIKE '% a %'."""
    codes = list(codes)
    return f" {' '.join(codes)} " if codes else ""


def record_values(notice_id: str, records: list[Record]) -> list[dict[str, Any]]:
    """The records table's rows of a notice, as values (for one insert of many rows)."""
    return [
        {
            "notice_id": notice_id,
            "record_id": r.record_id,
            "position": i,
            "status": r.status.value,
            "flags": flag_field(r.flag_codes),
            "problem": r.problem,
            "record_json": r.model_dump_json(),
        }
        for i, r in enumerate(records)
    ]


def chunk_values(chunk: Chunk) -> dict[str, Any]:
    return {
        "chunk_id": chunk.chunk_id,
        "notice_id": chunk.notice_id,
        "kind": chunk.kind.value,
        "status": str(chunk.status) if chunk.status else None,
        "flags": flag_field(chunk.flag_codes),
        "span_start": chunk.span.start,
        "chunk_json": chunk.model_dump_json(),
    }


def record_rows(notice_id: str, records: list[Record]) -> list[RecordRow]:
    return [RecordRow(**values) for values in record_values(notice_id, records)]


def chunk_row(chunk: Chunk) -> ChunkRow:
    return ChunkRow(**chunk_values(chunk))
