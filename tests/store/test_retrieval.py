"""Retrieval on the five samples: the record a question is about comes first, even when the
question names the unit (which only the preamble and contact lines would otherwise carry)."""

from __future__ import annotations

import pytest

from assistant.chunking import ChunkKind
from assistant.store import NoticeStore


@pytest.mark.parametrize(
    ("query", "prefix", "record_id"),
    [
        ("车辆燃油使用不规范", "000", "(二)-5"),
        ("张家界交警支队 执法不规范", "003", "(一)-2"),
        ("望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？", "001", "(二)-10-22)"),
        ("质安站负责人", "002", "二-(四)"),
        ("公务用车", "004", "(2)-1"),
    ],
)
def test_the_record_comes_first(store: NoticeStore, query: str, prefix: str, record_id: str):
    top = store.search(query, k=1)[0]
    assert (top.chunk.source_name[:3], top.chunk.kind, top.chunk.record_id) == (
        prefix,
        ChunkKind.RECORD,
        record_id,
    )


def test_a_unit_name_alone_does_not_lift_the_preamble(store: NoticeStore):
    hits = store.search("张家界交警支队 执法不规范", k=3)
    assert [h.chunk.kind for h in hits] == [ChunkKind.RECORD] * 3


def test_search_text_carries_the_organisation_but_the_chunk_text_does_not(store: NoticeStore):
    chunk = next(
        c
        for c in store.get_chunks(store.chunk_ids()).values()
        if c.source_name.startswith("003") and c.record_id == "(一)-2"
    )
    assert chunk.organisation and chunk.search_text == f"{chunk.organisation}\n{chunk.text}"
    assert chunk.organisation not in chunk.text
