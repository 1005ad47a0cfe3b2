"""A notice's, a chunk's and a record's values for the store's tables and for Chroma's metadata, made without
the database or Chroma loaded (in the worker processes of `audit index` too)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from assistant.chunking import Chunk
from assistant.models import ProcessedNotice, Record


def flag_field(codes: Iterable[str]) -> str:
    """Flag codes as " a b ", so one code is found with LIKE '% a %'."""
    codes = list(codes)
    return f" {' '.join(codes)} " if codes else ""


def notice_columns(processed: ProcessedNotice) -> dict[str, Any]:
    """The notice table's columns that come from the notice itself (NoticeRow values): one place
    for the single add and for notices prepared in the workers."""
    notice, result, outline = processed.notice, processed.result, processed.outline
    return {
        "notice_id": notice.notice_id,
        "source_name": notice.source_name,
        "source_path": notice.source_path,
        "organisation": result.meta.organisation,
        "title": result.meta.title,
        "published": result.meta.published,
        "extractor": str(result.extractor),
        "notice_json": notice.model_dump_json(),
        "result_json": result.model_dump_json(),
        "outline_json": outline.model_dump_json() if outline else None,
    }


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


def chunk_metadata(chunk: Chunk) -> dict[str, str | int | bool]:
    """What the store's vector filters test (no None values, flags as boolean keys), nothing more:
    everything else about a chunk is in the database, and each key costs Chroma a row per vector."""
    meta: dict[str, str | int | bool] = {"notice_id": chunk.notice_id, "kind": chunk.kind.value}
    if chunk.status:
        meta["status"] = chunk.status.value
    for code in chunk.flag_codes:
        meta[f"flag_{code}"] = True
    return meta
