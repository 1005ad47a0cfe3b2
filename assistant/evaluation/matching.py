"""One-to-one matching of predicted records to gold records by normalised problem text.

Character-level similarity (Chinese has no word boundaries to lean on); greedy on the best
pairs first, so a near-duplicate problem never steals the match of an exact one.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

from assistant.ingest.normalise import PINYIN, to_simplified
from assistant.text.fold import width_fold

MATCH_THRESHOLD = 0.6

_WRAPPER = re.compile(r"^(关于|针对)|(的)?问题$|的$")
_NOISE = re.compile(r"[\s\W_]+", re.UNICODE)


def normalise_problem(text: str) -> str:
    """Width-folded, punctuation-free, without 关于/针对…问题 wrappers."""
    text = PINYIN.sub("", to_simplified(width_fold(text)))
    text = _NOISE.sub("", text)
    previous = None
    while previous != text:
        previous = text
        text = _WRAPPER.sub("", text)
    return text


def is_strict(gold: str, predicted: str) -> bool:
    """The same problem with the same boundaries: equal once width, punctuation and wrappers go."""
    return normalise_problem(gold) == normalise_problem(predicted)


def similarity(a: str, b: str) -> float:
    """Ratio of matching characters; a full containment of the shorter text counts high."""
    if not a or not b:
        return 0.0
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if short in long_ and len(short) >= 6:
        return max(0.9, SequenceMatcher(None, a, b, autojunk=False).ratio())
    return SequenceMatcher(None, a, b, autojunk=False).ratio()


def match(
    gold: list[str], predicted: list[str], threshold: float = MATCH_THRESHOLD
) -> list[tuple[int, int, float]]:
    """Pairs (gold index, predicted index, similarity), each index used at most once."""
    g_norm = [normalise_problem(t) for t in gold]
    p_norm = [normalise_problem(t) for t in predicted]
    candidates = []
    for gi, g in enumerate(g_norm):
        for pi, p in enumerate(p_norm):
            score = similarity(g, p)
            if score >= threshold:
                # prefer pairs at similar positions when scores tie (documents are ordered)
                candidates.append((-score, abs(gi - pi), gi, pi))
    candidates.sort()
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for neg_score, _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi, -neg_score))
    return sorted(pairs)
