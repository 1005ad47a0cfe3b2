"""The store's contract with its callers (QA, CLI, app)."""

from __future__ import annotations

import datetime as dt
from typing import Literal

from pydantic import BaseModel, Field, field_validator

from assistant.chunking import Chunk, ChunkKind
from assistant.models import Extractor, FlagCode, NoticeMeta, Status


class SearchFilters(BaseModel):
    organisation: str | None = None  # substring of the issuing organisation
    status: Status | None = None
    flag: FlagCode | None = None
    date_from: dt.date | None = None
    date_to: dt.date | None = None
    notice_id: str | None = None
    kind: ChunkKind | None = None

    @property
    def empty(self) -> bool:
        return not any(getattr(self, name) for name in type(self).model_fields)


class Hit(BaseModel):
    chunk: Chunk
    score: float  # fused (reciprocal rank) score
    rank: int
    vector_rank: int | None = None
    bm25_rank: int | None = None
    vector_score: float | None = None  # cosine similarity
    bm25_score: float | None = None


class AddResult(BaseModel):
    notice_id: str
    source_name: str
    action: Literal["added", "unchanged", "updated", "replaced"]
    chunks: int
    embedded: int = 0  # chunks whose vectors had to be computed
    replaced_notice_id: str | None = None


class StoredNotice(BaseModel):
    """A stored notice's summary: what lists and filters need, without its text."""

    notice_id: str
    source_name: str
    source_path: str | None = None
    organisation: str | None = None
    title: str | None = None
    published: dt.date | None = None
    records: int = 0
    flagged_records: int = 0
    chunks: int = 0
    extractor: Extractor = Extractor.RULES
    added_at: dt.datetime

    @field_validator("added_at")
    @classmethod
    def _utc(cls, value: dt.datetime) -> dt.datetime:
        """SQLite gives times back without their zone; they were written in UTC."""
        return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


class NoticeHead(BaseModel):
    """A stored notice's result without its records: what notice-level questions read."""

    notice_id: str
    source_name: str
    meta: NoticeMeta
    records: int = 0  # how many records it has


class StoreStats(BaseModel):
    path: str
    backend: str
    database: str = ""
    collection: str
    embeddings_model: str
    dimensions: int
    notices: int
    records: int
    flagged_records: int
    chunks: int
    vectors: int
    bm25_documents: int
    status_counts: dict[str, int] = Field(default_factory=dict)
    flag_counts: dict[str, int] = Field(default_factory=dict)
