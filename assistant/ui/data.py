"""Cached views of the store for the pages, keyed by the store's version (see AppContext.version).

The first rerun after an import rebuilds a table; every other rerun reuses it, which keeps the
app responsive with a few hundred notices.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.models import NoticeResult
from assistant.ui import tables
from assistant.ui.state import AppContext, get_context


def _results(ctx: AppContext) -> list[NoticeResult]:
    with ctx.lock:
        return ctx.store.results()


@st.cache_data(show_spinner=False, max_entries=8)
def _records_table(version: str) -> pd.DataFrame:
    return tables.records_table(_results(get_context()))


@st.cache_resource(show_spinner=False, max_entries=8)
def _flag_queue(version: str) -> list[tables.FlagItem]:
    return tables.flag_queue(_results(get_context()))


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


def flag_queue() -> list[tables.FlagItem]:
    return _flag_queue(get_context().version())


def results() -> list[NoticeResult]:
    return _results(get_context())


def notice_text(notice_id: str) -> str | None:
    """The notice's text as shown: normalised offsets, the original's script (ids are content hashes)."""
    return _notice_text(get_context().key, notice_id)
