"""Sentences and clauses of Chinese text, as spans into it.

One set of sentence ends for every stage: 。！？ and ；, full- and half-width, and a line end.
"""

from __future__ import annotations

import re

SENTENCE_ENDS = "。！？!?；;"
"""Marks that end a sentence (a line end does too)."""

_SENTENCE = re.compile(rf"[^{SENTENCE_ENDS}\n]+[{SENTENCE_ENDS}]?")
_END = re.compile(rf"[{SENTENCE_ENDS}\n]")
_CLAUSE_MARKS = re.compile(r'[，,、“”「」"]')


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Half-open spans of the sentences in text[start:end], each with its closing mark (if any);
    a line end closes a sentence without being part of it, runs of marks give no empty sentence."""
    stop = len(text) if end is None else end
    return [m.span() for m in _SENTENCE.finditer(text, start, stop)]


def sentence_end_cuts(text: str, start: int, end: int) -> list[int]:
    """Positions just after each sentence end in text[start:end]: where a long text may be cut."""
    return [m.end() for m in _END.finditer(text, start, end)]


def clause_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the comma clauses (，,、) of a sentence; commas inside quotes do not cut."""
    out, start, depth = [], 0, 0
    for m in _CLAUSE_MARKS.finditer(text):
        ch, i = m.group(0), m.start()
        if ch in '“「"' and depth == 0:
            depth = 1
        elif ch in '”」"' and depth:
            depth = 0
        elif ch in "，,、" and not depth:
            out.append((start, i))
            start = i + 1
    out.append((start, len(text)))
    return out
