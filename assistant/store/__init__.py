"""Persistent Chroma store of chunks, with a BM25 index beside it."""

from assistant.store.files import StoredNotice
from assistant.store.indexing import IndexReport, index_paths
from assistant.store.models import AddResult, Hit, SearchFilters, StoreStats
from assistant.store.notice_store import NoticeStore

__all__ = [
    "AddResult",
    "Hit",
    "IndexReport",
    "NoticeStore",
    "SearchFilters",
    "StoreStats",
    "StoredNotice",
    "index_paths",
]
