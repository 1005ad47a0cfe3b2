"""Align text an LLM returned onto the notice, character by character.

The model returns only text, never offsets; every value must be found again in the source or
it is dropped. Chinese has no spaces, so alignment works on characters (never word tokens —
the failure langextract's users report on Chinese): first an exact substring, then the same
with whitespace, punctuation and full/half width ignored, then a fuzzy match whose matched
characters must cover most of the value and lie densely in the source. A value found is
replaced by the source's own characters at that span, so what we store is always the notice's.
"""

from __future__ import annotations

import unicodedata
from bisect import bisect_left
from difflib import SequenceMatcher
from functools import lru_cache

from pydantic import BaseModel

from assistant.models import Alignment, AlignmentStatus, Span
from assistant.text.fold import fold

STRIP_CHARS = " \t\r\n\u3000。；;，,、：:！!？?"
KEPT_PUNCTUATION = "%‰"  # part of a quantity, not of the sentence
FUZZY_MIN_CHARS = 4


class Found(BaseModel):
    """Where a model's value stands in the notice, and how well it matched."""

    value: str  # what the model returned
    span: Span | None = None
    status: AlignmentStatus = AlignmentStatus.UNALIGNED
    score: float = 0.0  # share of the value's characters matched (1.0 unless fuzzy)

    @property
    def aligned(self) -> bool:
        return self.span is not None

    @property
    def alignment(self) -> Alignment | None:
        """What the record keeps of it (None when it was not found)."""
        return Alignment(status=self.status, score=self.score) if self.span is not None else None


def _key_chars(ch: str) -> str:
    """The comparable form of one character: NFKC, lower case, nothing for space/punctuation."""
    out = []
    for c in fold(ch):
        if c.isspace() or (unicodedata.category(c)[0] in "PZ" and c not in KEPT_PUNCTUATION):
            continue
        out.append(c)
    return "".join(out)


@lru_cache(maxsize=16)
def _keyed(text: str) -> tuple[str, tuple[int, ...]]:
    """The text's comparable characters and, for each, its index in the text."""
    keys: list[str] = []
    index: list[int] = []
    for i, ch in enumerate(text):
        for k in _key_chars(ch):
            keys.append(k)
            index.append(i)
    return "".join(keys), tuple(index)


def _to_span(index: tuple[int, ...], start: int, end: int) -> Span:
    return Span(start=index[start], end=index[end - 1] + 1)


def _key_range(index: tuple[int, ...], window: Span) -> tuple[int, int]:
    return bisect_left(index, window.start), bisect_left(index, window.end)


def align(
    value: str,
    text: str,
    window: Span | None = None,
    *,
    threshold: float = 0.8,
    min_density: float = 0.7,
) -> Found:
    """Find `value` in `text`, preferring the `window` (the record's span).

    Exact and normalised matches are looked for in the window, then in the whole text; fuzzy
    matches only in the window (or the whole text when there is none), where a near-miss is
    the model's transcription slip rather than a different passage.
    """
    result = Found(value=value)
    cleaned = value.strip().strip(STRIP_CHARS)
    if not cleaned:
        return result
    regions = [window, None] if window is not None else [None]
    for region in regions:
        lo, hi = (region.start, region.end) if region else (0, len(text))
        found = text.find(cleaned, lo, hi)
        if found >= 0:
            return result.model_copy(
                update={
                    "span": Span(start=found, end=found + len(cleaned)),
                    "status": AlignmentStatus.EXACT,
                    "score": 1.0,
                }
            )
    keys, index = _keyed(text)
    vkey = "".join(_key_chars(c) for c in cleaned)
    if not vkey:
        return result
    for region in regions:
        klo, khi = _key_range(index, region) if region else (0, len(keys))
        found = keys.find(vkey, klo, khi)
        if found >= 0:
            return result.model_copy(
                update={
                    "span": _to_span(index, found, found + len(vkey)),
                    "status": AlignmentStatus.NORMALISED,
                    "score": 1.0,
                }
            )
    if len(vkey) < FUZZY_MIN_CHARS:
        return result
    klo, khi = _key_range(index, window) if window else (0, len(keys))
    best = _fuzzy(vkey, keys[klo:khi])
    if best is None:
        return result
    start, end, score, density = best
    if score < threshold or density < min_density:
        return result.model_copy(update={"score": score})
    return result.model_copy(
        update={
            "span": _to_span(index, klo + start, klo + end),
            "status": AlignmentStatus.FUZZY,
            "score": round(score, 3),
        }
    )


def _fuzzy(vkey: str, hay: str) -> tuple[int, int, float, float] | None:
    """Best (start, end, score, density) of `vkey` inside `hay`, on characters.

    Each matching block of a global comparison anchors a candidate region of the value's
    length (plus slack); the region is compared again locally and scored by the share of the
    value's characters it matches and how densely those matches lie.
    """
    if not hay:
        return None
    slack = max(4, len(vkey) // 4)
    anchors = {
        max(0, block.a - block.b)
        for block in SequenceMatcher(None, hay, vkey, autojunk=False).get_matching_blocks()
        if block.size >= 2
    }
    best: tuple[int, int, float, float] | None = None
    for anchor in sorted(anchors):
        lo, hi = max(0, anchor - slack), min(len(hay), anchor + len(vkey) + slack)
        blocks = [
            m for m in SequenceMatcher(None, hay[lo:hi], vkey, autojunk=False).get_matching_blocks() if m.size
        ]
        if not blocks:
            continue
        matched = sum(m.size for m in blocks)
        start, end = lo + blocks[0].a, lo + blocks[-1].a + blocks[-1].size
        candidate = (start, end, matched / len(vkey), matched / (end - start))
        if best is None or candidate[2:] > best[2:]:
            best = candidate
    return best


__all__ = ["AlignmentStatus", "Found", "align"]
