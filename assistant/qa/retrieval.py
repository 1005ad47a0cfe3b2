"""Retrieval as QA uses it: find which notices a question names, clean the query, search.

A reviewer writes "邵阳交警支队…" or "张家界交警支队…": the place and unit name tell us whose
notice is meant far more reliably than any similarity score, and left in the query they pull
in every chunk of every police notice. So named notices become a filter (one search per notice
when several are named) and the naming words leave the query.
"""

from __future__ import annotations

import re
import weakref
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from assistant.models import NoticeResult
from assistant.qa.evidence import GROUP, Idf, corpus_idf, coverage, evidence_tokens
from assistant.qa.text import content_tokens, sentence_spans
from assistant.store.models import Hit  # the store's contract only: chroma and bm25 stay unloaded

if TYPE_CHECKING:
    from assistant.store import NoticeStore, SearchFilters

_PLACE = re.compile(r"^(?:中共)?(?P<place>[\u4e00-\u9fff]{2,4}?)(?P<suffix>自治州|自治县|省|市|县|区|州|旗)")
# unit words in an organisation name → how questions refer to that unit
_UNIT_ALIASES = {
    "交通警察": ("交警", "交通警察"),
    "交通管理": ("交管", "交警", "交通管理"),
    "交通运输": ("交通运输", "交通局", "运输局"),
    "公安局": ("公安局", "公安"),
}


class NoticeName(BaseModel):
    """How a question can name one notice: its place ("邵阳") and unit words ("交警")."""

    notice_id: str
    place: str
    place_full: str
    units: list[str] = Field(default_factory=list)


class Scope(BaseModel):
    notice_ids: list[str] = Field(default_factory=list)
    mentions: list[str] = Field(default_factory=list)  # the words in the question that named them


class Retrieval(BaseModel):
    question: str
    query: str  # what was sent to the store
    tokens: list[str]  # the question's evidence tokens
    scope: Scope
    hits: list[Hit]


def _name(notice_id: str, org: str) -> NoticeName | None:
    m = _PLACE.match(org.strip())
    if not m:
        return None
    rest = org[m.end() :]
    units = sorted({a for key, aliases in _UNIT_ALIASES.items() if key in rest for a in aliases})
    return NoticeName(
        notice_id=notice_id,
        place=m.group("place"),
        place_full=m.group("place") + m.group("suffix"),
        units=units,
    )


def notice_names(results: Sequence[NoticeResult]) -> list[NoticeName]:
    names = []
    for res in results:
        org = res.meta.organisation or res.meta.inspected_unit or res.meta.title or ""
        if (name := _name(res.notice_id, org)) is not None:
            names.append(name)
    return names


_NAMES: weakref.WeakKeyDictionary[Any, tuple[int, list[NoticeName]]] = weakref.WeakKeyDictionary()


def stored_names(store: NoticeStore) -> list[NoticeName]:
    """`notice_names` of every stored notice from the notice list's columns (a notice's result is
    read only when it names no organisation), kept until the store changes."""
    version = store.keyword_stats()[0]
    cached = _NAMES.get(store)
    if cached is not None and cached[0] == version:
        return cached[1]
    names = []
    for n in store.notices():
        org = n.organisation
        if not org:
            res = store.get_result(n.notice_id)
            org = (res.meta.inspected_unit or res.meta.title) if res else n.title
        if (name := _name(n.notice_id, org or "")) is not None:
            names.append(name)
    _NAMES[store] = (version, names)
    return names


def scope_of(question: str, names: Sequence[NoticeName]) -> Scope:
    """The notices a question names by place, narrowed by unit words when a place has several."""
    by_place: dict[str, list[NoticeName]] = {}
    for name in names:
        if name.place in question:
            by_place.setdefault(name.place, []).append(name)
    ids: list[str] = []
    mentions: list[str] = []
    for place, candidates in by_place.items():
        mentions.append(next((c.place_full for c in candidates if c.place_full in question), place))
        chosen = candidates
        if len(candidates) > 1:
            named = [c for c in candidates if any(u in question for u in c.units)]
            chosen = named or candidates
        ids.extend(c.notice_id for c in chosen if c.notice_id not in ids)
    return Scope(notice_ids=ids, mentions=mentions)


def detect_scope(question: str, results: Sequence[NoticeResult]) -> Scope:
    """`scope_of` over the names of these notices' results."""
    return scope_of(question, notice_names(results))


def clean_query(question: str, scope: Scope, idf: Idf | None = None) -> tuple[str, list[str]]:
    """The query text for the store and the question's evidence tokens, without naming words."""
    stripped = question
    for mention in sorted(scope.mentions, key=len, reverse=True):
        stripped = stripped.replace(mention, "，")
    drop = set(scope.mentions)
    toks = evidence_tokens(stripped, idf, drop) if idf is not None else content_tokens(stripped, drop)
    query = " ".join(toks).replace(GROUP, " ") if toks else question
    return query, toks


def _with(filters: SearchFilters | None, **update: object) -> SearchFilters:
    from assistant.store import SearchFilters

    base = filters or SearchFilters()
    return base.model_copy(update=update)


def _user_scoped(filters: SearchFilters | None) -> bool:
    return bool(filters and (filters.organisation or filters.notice_id))


# Candidates fetched per search and reranked: the store's fused rank is kept as a prior, and
# the share of the question's (idf-weighted) words a passage holds decides among close ranks.
CANDIDATES = 10
COVERAGE_WEIGHT = 1.0
SENTENCE_WEIGHT = 0.5
RANK_PRIOR = 0.3


def rerank(hits: Sequence[Hit], tokens: Sequence[str], idf: Idf) -> list[Hit]:
    """Order candidates by question coverage (whole passage and best sentence) plus a rank prior.

    Fusion ranks short passages that share one rare word ("上交国库") above the passage holding
    every word of the question ("中央隔离护栏赔付款…上交国库"); coverage puts the latter first.
    """
    if not tokens:
        return list(hits)

    def score(hit: Hit) -> float:
        text = hit.chunk.text
        best_sentence = max((coverage(tokens, text[s:e], idf) for s, e in sentence_spans(text)), default=0.0)
        return (
            COVERAGE_WEIGHT * coverage(tokens, text, idf)
            + SENTENCE_WEIGHT * best_sentence
            + RANK_PRIOR / hit.rank
        )

    return sorted(hits, key=score, reverse=True)


def retrieve(
    question: str, store: NoticeStore, k: int = 5, filters: SearchFilters | None = None
) -> Retrieval:
    """Top-k chunks for a question, searched within the notices it names (unless the caller
    already scoped the search; several named notices are searched separately and interleaved),
    then reranked by how much of the question each passage covers."""
    scope = Scope() if _user_scoped(filters) else scope_of(question, stored_names(store))
    idf = corpus_idf(store)
    query, toks = clean_query(question, scope, idf)
    fetch = max(CANDIDATES, 2 * k)
    if len(scope.notice_ids) > 1:
        per_notice = [
            rerank(store.search(query, k=fetch, filters=_with(filters, notice_id=nid)), toks, idf)
            for nid in scope.notice_ids
        ]
        hits: list[Hit] = []
        for i in range(k):
            hits.extend(lst[i] for lst in per_notice if i < len(lst))
    elif scope.notice_ids:
        hits = rerank(
            store.search(query, k=fetch, filters=_with(filters, notice_id=scope.notice_ids[0])), toks, idf
        )
    else:
        hits = rerank(store.search(query, k=fetch, filters=filters), toks, idf)
    hits = [h.model_copy(update={"rank": i}) for i, h in enumerate(hits[:k], start=1)]
    return Retrieval(question=question, query=query, tokens=toks, scope=scope, hits=hits)
