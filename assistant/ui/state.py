"""Heavy, shared objects for the app: one store (with its review book and a write lock) per store
directory, and one chat model per endpoint, cached with `st.cache_resource` across sessions.

A brand-new store (no manifest yet) is filled with the sample notices on first open, so the app
starts on something to read with no API key and no setup.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import streamlit as st

from assistant.paths import examples_dir
from assistant.pipeline import IndexReport, index_files
from assistant.providers import llm as llm_provider
from assistant.reviews import ReviewBook
from assistant.settings import Settings, get_settings
from assistant.store import NoticeStore

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel


@dataclass
class AppContext:
    """Everything the pages share for one store directory."""

    store: NoticeStore
    reviews: ReviewBook
    lock: threading.RLock  # NoticeStore is not thread-safe; sessions run in threads
    seeded: IndexReport | None = None  # the samples indexed on first start, if that happened

    @property
    def key(self) -> str:
        return str(self.store.path)

    def version(self) -> str:
        """Changes whenever a notice is added, replaced, re-extracted or removed: the cache key of derived tables."""
        parts = sorted(
            f"{n.notice_id}:{n.added_at.isoformat()}:{n.extractor}" for n in self.store.manifest.values()
        )
        digest = hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]
        return f"{self.key}#{digest}"


@st.cache_resource(show_spinner="正在打开通报库…")
def _context(store_dir: str) -> AppContext:
    settings = get_settings()
    store = NoticeStore.open(settings, path=Path(store_dir))
    seeded = None
    if store.never_written:  # a brand-new store starts with the samples; an emptied one stays empty
        samples = examples_dir()
        if samples.is_dir():
            seeded = index_files([samples], store, extractor="rules")
    return AppContext(store=store, reviews=ReviewBook.for_store(store), lock=threading.RLock(), seeded=seeded)


def store_dir(settings: Settings | None = None) -> Path:
    return Path((settings or get_settings()).store_dir).expanduser().resolve()


def get_context() -> AppContext:
    return _context(str(store_dir()))


@st.cache_resource(show_spinner=False)
def _chat_model(base_url: str | None, model: str | None, configured: bool) -> BaseChatModel | None:
    return llm_provider.make_chat_model(get_settings())


def get_chat_model() -> BaseChatModel | None:
    """The configured chat model, or None offline (the arguments only key the cache)."""
    settings = get_settings()
    return _chat_model(settings.base_url, settings.model, settings.llm_configured)
