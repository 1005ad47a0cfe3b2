"""How strongly a passage or sentence supports a question: idf-weighted token coverage.

Fused retrieval scores are ranks, not calibrated relevance: the top hit of a question the
notices cannot answer looks as "good" as any other. Coverage of the question's informative
tokens (weighted by how rare they are across the stored notices) is what tells the two apart:
"无人机" occurs nowhere, so a passage about 执法规定 covers little of "对无人机执法有什么规定".
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from assistant.qa.text import fold, sentence_spans

if TYPE_CHECKING:
    from assistant.store import NoticeStore


class Idf:
    """Sentence-level inverse document frequency of tokens, by substring occurrence."""

    def __init__(self, texts: Iterable[str]) -> None:
        self.sentences: list[str] = []
        for text in texts:
            folded = fold(text)
            self.sentences.extend(folded[s:e] for s, e in sentence_spans(folded))
        self._cache: dict[str, float] = {}

    @property
    def size(self) -> int:
        return len(self.sentences)

    def df(self, token: str) -> int:
        return sum(1 for s in self.sentences if token in s)

    def __call__(self, token: str) -> float:
        if token not in self._cache:
            n, df = self.size, self.df(token)
            self._cache[token] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return self._cache[token]


_CACHE: weakref.WeakKeyDictionary[Any, tuple[tuple[str, ...], Idf]] = weakref.WeakKeyDictionary()


def corpus_idf(store: NoticeStore) -> Idf:
    """The idf table over every stored notice, rebuilt when the set of notices changes."""
    ids = tuple(sorted(r.notice_id for r in store.results()))
    cached = _CACHE.get(store)
    if cached and cached[0] == ids:
        return cached[1]
    texts = []
    for notice_id in ids:
        notice = store.get_notice(notice_id)
        if notice is not None:
            texts.append(notice.text)
    idf = Idf(texts)
    _CACHE[store] = (ids, idf)
    return idf


def coverage(query_tokens: Sequence[str], text: str, idf: Idf) -> float:
    """Share of the query's idf weight whose tokens occur in `text` (0…1)."""
    if not query_tokens:
        return 0.0
    folded = fold(text)
    total = sum(idf(t) for t in query_tokens)
    if total <= 0:
        return 0.0
    return sum(idf(t) for t in query_tokens if t in folded) / total
