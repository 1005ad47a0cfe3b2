"""Reciprocal rank fusion: rank-based, so BM25 scores and cosine similarities need no calibration."""

from __future__ import annotations

from collections.abc import Sequence

RRF_K = 60


def reciprocal_rank_fusion(rankings: Sequence[Sequence[str]], k: int = RRF_K) -> list[tuple[str, float]]:
    """Ids by summed 1/(k + rank), best first; ties keep the order of first appearance."""
    scores: dict[str, float] = {}
    for ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + 1.0 / (k + rank)
    order = {doc_id: i for i, doc_id in enumerate(dict.fromkeys(d for r in rankings for d in r))}
    return sorted(scores.items(), key=lambda item: (-item[1], order[item[0]]))
