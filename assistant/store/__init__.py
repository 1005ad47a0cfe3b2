"""Persistent Chroma store of chunks, with a BM25 index beside it.

Names are imported on first use, so the light models (`assistant.store.models`) can be used without
loading Chroma.
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "StoredNotice": "assistant.store.files",
    "AddResult": "assistant.store.models",
    "Hit": "assistant.store.models",
    "SearchFilters": "assistant.store.models",
    "StoreStats": "assistant.store.models",
    "NoticeStore": "assistant.store.notice_store",
}

__all__ = list(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'assistant.store' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
