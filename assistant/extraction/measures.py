"""Split a record's rectification text into measures.

Three shapes (STRUCTURES.md §1): numbered sub-items that are measures (the heading-is-the-problem
layout), `一是…二是…` markers, or running text — one measure per sentence that reports an action of
its own, a sentence that only adds a result or a detail of the previous one, a bare status sentence
or a general pledge being no measure of its own. Only the text after the rectification label is
searched, so a problem's own `一是…` symptoms before the label are never measures.

Ordinals are searched in sequence (一是, then 二是 after it…), which tolerates the noise of
real notices: a missing separator ("全部四是"), a dropped numeral ("；是结合…"), a doubled
word ("四是是强化…").
"""

from __future__ import annotations

import re

from assistant.lexicon.headings import DEFICIENCY
from assistant.lexicon.labels import RECTIFICATION_LABEL, STATUS_LABEL
from assistant.lexicon.status import DONE, LEADING_STATUS, PERFECTIVE, PLEDGE
from assistant.models import OutlineNode, Span
from assistant.text.sentences import sentence_spans

CN = "一二三四五六七八九十"
_STRIP = " \n\t；;，,。、："
_DROPPED_NUMERAL = re.compile(r"(?<=[；;。])\s*是(?=[\u4e00-\u9fff])")
# Sentences that continue the previous measure: its result, its scope, a detail of it.
_CONTINUES = re.compile(
    r"^(?:目前|截至|截止|其中|现已?|经|共计?|累计|该|此|这|上述|以上|并|且|从而|为此|通过|涉及|包括|如|即|均)"
)
# A sentence that only states where the problem stands ("目前该问题已整改完成。").
_STATUS_ONLY = re.compile(
    r"^(?:目前|现|至此|通过(?:整改|以上措施)|经(?:整改|核查))?[，,]?[^，。；]{0,16}?(?:问题)?(?:已|均已|已全部)?(?:得到)?(?:整改完成|完成整改|整改到位|解决|销号|整改完毕|彻底解决|有效解决)[。；;！]?$"
)


def _ordinal(n: int) -> str:
    if n <= 10:
        return CN[n - 1] if n < 10 else "十"
    return "十" + CN[n - 11] if n < 20 else CN[n // 10 - 1] + "十" + (CN[n % 10 - 1] if n % 10 else "")


def find_markers(text: str) -> list[tuple[int, int]]:
    """(marker start, content start) for each 一是/二是… in order."""
    markers: list[tuple[int, int]] = []
    pos = 0
    n = 1
    while True:
        word = _ordinal(n) + "是"
        i = text.find(word, pos)
        if i < 0 and n > 1:
            # a dropped numeral: "；是结合…" standing where 二是 should be
            m = _DROPPED_NUMERAL.search(text, pos)
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


def _region_start(text: str) -> tuple[int, bool]:
    """Where the measures begin: after the last rectification label before any marker, or at 0."""
    first = RECTIFICATION_LABEL.search(text)  # the first label is the one that counts
    if first is None:
        return 0, False
    start = first.end()
    lead = LEADING_STATUS.match(text, start)
    if lead:
        start = lead.end()  # "整改情况：已完成。……": the status words are not a measure
    return start, True


def _strip_status_lines(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """The region without status lines ("整改结果：完成。"), as pieces."""
    pieces: list[tuple[int, int]] = []
    pos = start
    for m in STATUS_LABEL.finditer(text, start, end):
        line_end = text.find("\n", m.end())
        stop = text.find("。", m.end())
        cut = min(x for x in (line_end if line_end >= 0 else end, stop + 1 if stop >= 0 else end, end))
        if m.start() > pos:
            pieces.append((pos, m.start()))
        pos = max(pos, cut)
    if pos < end:
        pieces.append((pos, end))
    return pieces


def _running_text(text: str, start: int, end: int, labelled: bool) -> list[tuple[int, int]]:
    """One piece per sentence that reports its own action."""
    pieces: list[list[int]] = []
    leading = not labelled  # without a label, the problem's own description may come first
    for sentence_start, sentence_end in sentence_spans(text, start, end):
        s, e = _trim(text, sentence_start, sentence_end)
        if e <= s:
            continue
        sentence = text[s:e]
        if leading and DEFICIENCY.search(sentence) and not PERFECTIVE.search(sentence):
            continue  # still describing the problem
        leading = False
        joins = bool(_CONTINUES.match(sentence) or _STATUS_ONLY.match(sentence) or PLEDGE.match(sentence))
        if re.match(r"^(?:今后|下一步|后续|下步)", sentence):
            joins = True
        if joins and pieces:
            pieces[-1][1] = e
        elif joins and (_STATUS_ONLY.match(sentence) or PLEDGE.match(sentence) or DONE.fullmatch(sentence)):
            continue
        else:
            pieces.append([s, e])
    return [(s, e) for s, e in pieces]


def split_measures(
    text: str, offset: int, measure_nodes: list[OutlineNode] | None = None
) -> list[tuple[str, Span]]:
    """Measures in a record body `text` that starts at `offset` in the notice."""
    bounds: list[tuple[int, int]] = []
    if measure_nodes:
        for k, node in enumerate(measure_nodes):
            s = node.span.start - offset
            e = (measure_nodes[k + 1].span.start - offset) if k + 1 < len(measure_nodes) else len(text)
            bounds.append((s, min(e, node.span.end - offset) if k + 1 == len(measure_nodes) else e))
    else:
        region_start, labelled = _region_start(text)
        for p_start, p_end in _strip_status_lines(text, region_start, len(text)):
            markers = find_markers(text[p_start:p_end])
            if markers:
                for k, (_, content) in enumerate(markers):
                    stop = markers[k + 1][0] if k + 1 < len(markers) else p_end - p_start
                    bounds.append((p_start + content, p_start + stop))
            else:
                bounds.extend(_running_text(text, p_start, p_end, labelled))
    out: list[tuple[str, Span]] = []
    for start, end in bounds:
        s, e = _trim(text, start, end)
        if e > s:
            out.append((text[s:e], Span(start=offset + s, end=offset + e)))
    return out
