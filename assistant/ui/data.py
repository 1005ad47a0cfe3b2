"""Cached views of the store for the pages, keyed by the store's version (see AppContext.version).

The first rerun after an import rebuilds a table; every other rerun reuses it, which keeps the
app responsive with a few hundred notices.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.models import NoticeResult, Record
from assistant.naming import names_by_notice
from assistant.qa.models import Citation
from assistant.ui import tables
from assistant.ui.state import AppContext, get_context


def _results(ctx: AppContext) -> list[NoticeResult]:
    with ctx.lock:
        return ctx.store.results()


@st.cache_data(show_spinner=False, max_entries=8)
def _records_table(version: str) -> pd.DataFrame:
    return tables.records_table(_results(get_context()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _review_queue(version: str) -> list[tables.ReviewItem]:
    return tables.review_queue(_results(get_context()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _record_index(version: str) -> dict[tables.RecordKey, tuple[NoticeResult, Record]]:
    return tables.record_index(_results(get_context()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _notice_names(version: str) -> dict[str, str]:
    ctx = get_context()
    with ctx.lock:
        return names_by_notice(ctx.store.notices())


@st.cache_data(show_spinner=False, max_entries=512)
def _notice_text(store_key: str, notice_id: str) -> str | None:
    ctx = get_context()
    with ctx.lock:
        notice = ctx.store.get_notice(notice_id)
    if notice is None:
        return None
    from assistant.ingest.normalise import shown_text

    return shown_text(notice.text, notice.original, notice.offsets)  # traditional script shown as written


def records_table() -> pd.DataFrame:
    return _records_table(get_context().version())


def review_queue() -> list[tables.ReviewItem]:
    return _review_queue(get_context().version())


def find_record(notice_id: str, record_id: str) -> tuple[NoticeResult, Record] | None:
    """A record by its ids, from an index built once per store version (no scan of every result)."""
    return _record_index(get_context().version()).get((notice_id, record_id))


def notice_name(notice_id: str, fallback: str) -> str:
    """A stored notice's display name (`单位 · 日期`), or `fallback` for one no longer stored."""
    return _notice_names(get_context().version()).get(notice_id, fallback)


def results() -> list[NoticeResult]:
    return _results(get_context())


def notice_text(notice_id: str) -> str | None:
    """The notice's text as shown: normalised offsets, the original's script (ids are content hashes)."""
    return _notice_text(get_context().key, notice_id)


def citation_place(citation: Citation) -> str:
    """A citation's place for people: the notice's display name, then the headings it sits under."""
    path = " > ".join(citation.outline_path)
    name = notice_name(citation.notice_id, citation.source_name)
    return name + (f" · {path}" if path else "")
