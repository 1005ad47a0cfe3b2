"""Chunks of the real notices: one per record, sections between, spans exact."""

from __future__ import annotations

import pytest

from assistant.chunking import ChunkKind, chunk_notice

COUNTS = {"000": (18, 9), "001": (36, 30), "002": (26, 24), "003": (24, 15), "004": (14, 8)}


@pytest.mark.parametrize("prefix", sorted(COUNTS))
def test_one_chunk_per_record_and_spans_map_back(prefix, processed_samples):
    p = next(x for x in processed_samples if x.notice.source_name.startswith(prefix))
    chunks = chunk_notice(p.notice, p.result, p.outline)
    total, records = COUNTS[prefix]
    assert (len(chunks), sum(c.kind == ChunkKind.RECORD for c in chunks)) == (total, records)
    for chunk in chunks:
        assert chunk.body == p.notice.text[chunk.span.start : chunk.span.end]
        assert chunk.text.startswith(" > ".join(chunk.outline_path) + "\n")
    assert len({c.chunk_id for c in chunks}) == total


def test_record_chunk_carries_metadata(processed_samples):
    p = processed_samples[0]
    chunk = next(c for c in chunk_notice(p.notice, p.result, p.outline) if c.record_id == "(二)-5")
    assert chunk.outline_path[-1] == "车辆燃油使用不规范"
    assert (chunk.status, chunk.organisation, chunk.published) == (
        "完成",
        "中共邵阳市公安局交通警察支队委员会",
        "2025-03-21",
    )
    assert chunk.text.splitlines()[0].endswith("> 车辆燃油使用不规范")
