"""Split a record's rectification text into measures (`一是…二是…` or one undivided action).

Ordinals are searched in sequence (一是, then 二是 after it…), which tolerates the noise of
real notices: a missing separator ("全部四是"), a dropped numeral ("；是结合…"), a doubled
word ("四是是强化…").
"""

from __future__ import annotations

import re

from assistant.models import Span

CN = "一二三四五六七八九十"
_LEAD_RE = re.compile(r"^\s*整改(?:情况|措施)\s*[:：]\s*")
_MARK_RE = re.compile(r"整改(?:情况|措施|进展)\s*[:：]")
_STATUS_LINE_RE = re.compile(r"整改(?:结果|状态|进度)\s*[:：][^\n]*\n?")
_STRIP = " \n\t；;，,。、："


def _ordinal(n: int) -> str:
    if n <= 10:
        return CN[n - 1] if n < 10 else "十"
    return "十" + CN[n - 11] if n < 20 else CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


def _find_markers(text: str) -> list[tuple[int, int]]:
    """(marker start, content start) for each 一是/二是… in order."""
    markers: list[tuple[int, int]] = []
    pos = 0
    n = 1
    while True:
        word = _ordinal(n) + "是"
        i = text.find(word, pos)
        if i < 0 and n > 1:
            # a dropped numeral: "；是结合…" standing where 二是 should be
            m = re.compile(r"(?<=[；;。])\s*是(?=[\u4e00-\u9fff])").search(text, pos)
            nxt = text.find(_ordinal(n + 1) + "是", pos)
            if m and (nxt < 0 or m.start() < nxt):
                markers.append((m.start(), m.end()))
                pos, n = m.end(), n + 1
                continue
        if i < 0:
            break
        if n == 1 and markers == [] and i > 0 and text[i - 1] in "统唯专":
            pos = i + 2
            continue
        content = i + len(word)
        while content < len(text) and text[content] == "是":
            content += 1  # "四是是强化…"
        markers.append((i, content))
        pos, n = content, n + 1
    return markers


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _STRIP:
        start += 1
    while end > start and text[end - 1] in _STRIP:
        end -= 1
    return start, end


def split_measures(text: str, offset: int) -> list[tuple[str, Span]]:
    """Measures in a record body `text` that starts at `offset` in the notice."""
    mark = _MARK_RE.search(text)
    region_start = mark.end() if mark else 0
    # a status line before the measures is not part of them
    region = text[region_start:]
    status_line = _STATUS_LINE_RE.match(region.lstrip())
    if status_line and not mark:
        region_start += len(region) - len(region.lstrip()) + status_line.end()
    markers = _find_markers(text[region_start:])
    pieces: list[tuple[int, int]] = []
    if markers:
        bounds = [(region_start + c, region_start + (markers[k + 1][0] if k + 1 < len(markers) else len(text) - region_start))
                  for k, (_, c) in enumerate(markers)]
        pieces = bounds
    else:
        pieces = [(region_start, len(text))]
    out: list[tuple[str, Span]] = []
    for start, end in pieces:
        s, e = _trim(text, start, end)
        if e > s:
            out.append((text[s:e], Span(start=offset + s, end=offset + e)))
    return out
