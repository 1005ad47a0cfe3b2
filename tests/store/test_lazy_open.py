"""Opening a local store reads no vectors: Chroma is opened, and healed, when a vector is first needed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.store import NoticeStore


def test_reading_without_vectors_never_opens_chroma(tmp_path: Path, processed_samples) -> None:
    first = NoticeStore.open(path=tmp_path / "s")
    first.add(processed_samples[0])
    lost = first.chunk_ids()[:3]
    first.vectors.delete(lost)  # as if a write died between the rows and the vectors

    store = NoticeStore.open(path=tmp_path / "s")
    assert not store.vectors.opened
    assert len(store.manifest) == 1 and store.records() and store.bm25.scores("车辆燃油", limit=3)
    assert store.doc_freq("车辆") > 0 and store.get_records([]) == {}
    assert not store.vectors.opened
    assert store.vectors.count() == 18  # first use: opened and healed from the stored chunks
    assert store.vectors.opened and store.healed == (3, 0)
    assert store.search("车辆燃油使用不规范", k=1)[0].vector_rank is not None


def test_keyword_first_search_ranks_the_keyword_candidates_without_chroma(
    tmp_path: Path, processed_samples
) -> None:
    first = NoticeStore.open(path=tmp_path / "s")
    with first.bulk():
        for p in processed_samples:
            first.add(p)
    store = NoticeStore.open(path=tmp_path / "s")
    hits = store.search("车辆燃油使用不规范", k=3, keyword_first=True)
    assert not store.vectors.opened
    assert hits[0].chunk.record_id == "(二)-5"
    assert all(h.vector_rank is not None and h.bm25_rank is not None for h in hits)
    full = store.search("车辆燃油使用不规范", k=3)
    assert store.vectors.opened and full[0].chunk.chunk_id == hits[0].chunk.chunk_id
    # the candidates' vectors computed here are the ones Chroma holds
    vector = dict(store.vectors.query("车辆燃油使用不规范", 50, None))
    assert hits[0].vector_score == pytest.approx(vector[hits[0].chunk.chunk_id], abs=1e-5)
    # fewer keyword candidates than asked for: the whole vector index is searched
    assert len(store.search("车辆燃油使用不规范", k=60, keyword_first=True)) == 60
