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

from assistant.qa.text import is_content, sentence_spans, strip_units
from assistant.text.fold import fold
from assistant.text.tokens import subwords, words

if TYPE_CHECKING:
    from assistant.store import NoticeStore


class Idf:
    """Sentence-level inverse document frequency of tokens, by substring occurrence in `texts`
    (for a handful of texts; the store's answers use `IndexIdf`)."""

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
        pieces = token.split(GROUP)
        return sum(1 for s in self.sentences if all(p in s for p in pieces))

    def __call__(self, token: str) -> float:
        if token not in self._cache:
            n, df = self.size, self.df(token)
            self._cache[token] = math.log(1.0 + (n - df + 0.5) / (df + 0.5))
        return self._cache[token]


# Joins the pieces of a compound the notices never use whole: evidence only where they meet.
GROUP = "+"


class IndexIdf(Idf):
    """Chunk-level inverse document frequency from the store's keyword index: a token's weight
    from the chunks whose terms hold it, a group's from the chunks holding all its pieces.

    Nothing is scanned: the index keeps its document frequencies (and posting lists for groups),
    so the weights cost the same at ten notices and at ten thousand.
    """

    def __init__(self, store: NoticeStore) -> None:
        self.version, self._size = store.keyword_stats()
        self._store = store
        self._df: dict[str, int] = {}
        self._cache: dict[str, float] = {}

    @property
    def size(self) -> int:
        return self._size

    def df(self, token: str) -> int:
        if token not in self._df:
            self._df[token] = self._store.doc_freq(*fold(token).split(GROUP))
        return self._df[token]


_CACHE: weakref.WeakKeyDictionary[Any, IndexIdf] = weakref.WeakKeyDictionary()


def corpus_idf(store: NoticeStore) -> Idf:
    """The idf table over every stored chunk, from the keyword index (new when the store changes)."""
    cached = _CACHE.get(store)
    if cached is not None and cached.version == store.keyword_stats()[0]:
        return cached
    idf = IndexIdf(store)
    _CACHE[store] = idf
    return idf


def contains(folded: str, token: str) -> bool:
    """A token occurs in folded text; a group ("上班+时间") only when one sentence holds every piece."""
    if GROUP not in token:
        return token in folded
    pieces = token.split(GROUP)
    if not all(p in folded for p in pieces):
        return False
    return any(all(p in folded[s:e] for p in pieces) for s, e in sentence_spans(folded))


def coverage(query_tokens: Sequence[str], text: str, idf: Idf) -> float:
    """Share of the query's idf weight whose tokens occur in `text` (0…1)."""
    if not query_tokens:
        return 0.0
    folded = fold(text)
    total = sum(idf(t) for t in query_tokens)
    if total <= 0:
        return 0.0
    return sum(idf(t) for t in query_tokens if contains(folded, t)) / total


# A particle jieba glued to the next word: "对质安站" → 对质 / 安站, "用户外电子屏" → 用户 / 外.
_PARTICLES = frozenset("对把向在为用将被给与和及名局从于")


def _repair(raw: list[str], idf: Idf) -> list[str]:
    """Undo jieba splits that glue a particle to a word, using what the notices contain."""
    out: list[str] = []
    i = 0
    while i < len(raw):
        tok = raw[i]
        if len(tok) >= 2 and tok[0] in _PARTICLES and idf.df(tok) == 0:
            nxt = raw[i + 1] if i + 1 < len(raw) else ""
            if nxt and idf.df(tok[1:] + nxt) > 0:
                out.append(tok[1:] + nxt)
                i += 2
                continue
            out.append(tok[1:])
            i += 1
            continue
        out.append(tok)
        i += 1
    return out


def _covering_pieces(tok: str, idf: Idf) -> list[str] | None:
    """jieba's pieces of a compound, if together they cover it and each occurs in the notices."""
    pieces = [p for p in subwords(tok) if idf.df(p) > 0]
    covered = set()
    for p in pieces:
        start = tok.find(p)
        covered.update(range(start, start + len(p)))
    return pieces if pieces and len(covered) == len(tok) else None


def evidence_tokens(text: str, idf: Idf, drop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """The question's evidence tokens, segmented the way the notices are written.

    jieba keeps "手机游戏" whole where the notice says "用手机看影视剧、玩游戏": a compound that
    occurs nowhere becomes the group of its pieces ("手机+游戏"), evidence only in a sentence
    holding all of them — so "无人驾驶" is not found in "软件无人维护…驾驶证". "无人机" (its piece
    人机 occurs nowhere) stays whole — a real gap the evidence check must see.
    """
    out: list[str] = []
    for tok in _repair(words(strip_units(text)), idf):
        if not is_content(tok, drop):
            continue
        pieces = _covering_pieces(tok, idf) if idf.df(tok) == 0 else None
        t = GROUP.join(pieces) if pieces else tok
        if t not in out:
            out.append(t)
    return out
