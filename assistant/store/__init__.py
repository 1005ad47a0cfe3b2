"""Persistent Chroma store of chunks, with a BM25 index beside it.

Names are imported on first use, so the light models (`assistant.store.models`) can be used without
loading Chroma.
"""

from __future__ import annotations

from assistant.lazy import lazy_exports

_EXPORTS = {
    "StoredNotice": "assistant.store.models",
    "AddResult": "assistant.store.models",
    "Hit": "assistant.store.models",
    "SearchFilters": "assistant.store.models",
    "StoreStats": "assistant.store.models",
    "NoticeHead": "assistant.store.models",
    "NoticeStore": "assistant.store.notice_store",
}

__all__ = list(_EXPORTS)


__getattr__ = lazy_exports("assistant.store", _EXPORTS, globals())
