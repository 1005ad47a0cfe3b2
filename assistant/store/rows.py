"""Rows of the store's database made from the pipeline's models: one place, used by adds,
the migration of JSON stores and rebuilds alike."""

from __future__ import annotations

from assistant.chunking import Chunk
from assistant.models import Record
from assistant.store.database import ChunkRow, RecordRow
from assistant.store.values import chunk_values, flag_field, record_values

__all__ = ["chunk_row", "chunk_values", "flag_field", "record_rows", "record_values"]


def record_rows(notice_id: str, records: list[Record]) -> list[RecordRow]:
    return [RecordRow(**values) for values in record_values(notice_id, records)]


def chunk_row(chunk: Chunk) -> ChunkRow:
    return ChunkRow(**chunk_values(chunk))
