"""Find the concrete, checkable specifics in a measure (DESIGN.md, "Concrete or vague").

Each finder is a pattern for one evidence type from `assistant.lexicon.evidence`, plus a check on
the clause around the match: a specific inside a promise ("将于年底前完成…3处") or a frequency or
requirement ("每季度开展1次") is not evidence of what was done. Everything found carries its span.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from itertools import accumulate
from typing import TypedDict

from pydantic import TypeAdapter

from assistant.lexicon import evidence as lx
from assistant.lexicon.fast import guarded, holds, lead
from assistant.lexicon.status import FUTURE
from assistant.models import Evidence, EvidenceType, Measure, Span

_CLAUSE_PUNCT = re.compile(r"[，,。；;：:\n！？、]")
_PLUS_ONE = (1).__add__
# Something reported done in a clause (a bare 完成 may be the promised completion itself).
_DONE_MARK = re.compile(r"已|了(?![解])")
# Marks a kind of specific cannot do without, tested (`holds`) before its pattern runs.
_QUOTE_OPEN = ("《", "“", "「")
_TITLE_MARKS = ("《", "“", "〔", "[", "［", "【", "(", "（")  # a title, a 文号, a quoted name
_DATE_SEPARATORS = ("-", "/", ".")  # 2024-03-12, 2024/3/12, 2024.3.12
_DIGIT_DATE = re.compile(r"\d[-/.]\d")
_PERCENT_MARK = ("%", "％", "‰", "百分之")  # every percentage has one of these


_QUOTED = re.compile(r"《[^》]{0,80}》|“[^”]{0,40}”|「[^」]{0,40}」")

QUANTITY_RE = lead(re.compile(rf"(?=\d){lx.NUM}\s*{lx.APPROX}\s*{guarded(lx.CLASSIFIERS)}(?![年月日号])"))
# (not after 第/每: tested after the first numeral, so the pattern starts with a class `re` skips to)
CN_QUANTITY_RE = re.compile(
    rf"({lx.CN_DIGIT}(?<![第每].){lx.CN_DIGIT}*){lx.APPROX}{guarded(lx.CN_CLASSIFIERS)}(?!问题|方面|意识|自信|责任|维护)"
)
DOCUMENT_RE = lead(
    re.compile(
        rf"(?P<verb>{lx.DOC_VERBS})(?:了|完善了|出台了|并印发了?)?(?P<gap>[^，,。；;：:《“]{{0,24}}?)(?P<doc>{lx.DOC_TITLE})"
    )
)
DOCUMENT_AFTER_RE = lead(
    re.compile(
        rf"(?P<doc>{lx.DOC_TITLE})[^，。；]{{0,6}}?(?:已|已经|正式|于[^，。；]{{1,12}}?)(?:印发|出台|下发|发布|施行|实施|修订|制定)"
    )
)
PHYSICAL_RE = lead(re.compile(rf"(?P<verb>{lx.CHANGE_VERBS})(?:了)?(?P<obj>[^，,。；;：:]{{1,24}})"))
# "…停车位已取消", "…执法队正式组建": the marker and verb found first, the object read back from them
PHYSICAL_AFTER_RE = lead(
    re.compile(rf"(?:已经?|均已|现已|正式|全部|已全部|已正式|已被|被)(?P<verb>{lx.CHANGE_VERBS})")
)
_OBJECT_BEFORE = re.compile(r"(?:[一二三四五六七八九十]是)?(?P<obj>[\u4e00-\u9fff“”]{2,14})$")
# Money moved without an amount ("多报金额上交国库") is not a change anyone can check.
_MONEY_VERBS = re.compile(r"^(?:上交|上缴|退回|追回|追缴|收缴|清退|收回)$")


class _Text:
    """A measure's text with its clause and sentence boundaries found once."""

    def __init__(self, text: str) -> None:
        self.text = text
        self._cuts: list[int] | None = None
        self.quoted = (
            [(m.start(), m.end()) for m in _QUOTED.finditer(text)] if holds(text, _QUOTE_OPEN) else []
        )
        self.quote_starts = [a for a, _ in self.quoted]
        self._rules: dict[tuple[int, int], bool] = {}
        self._planned: dict[tuple[int, int], bool] = {}

    @property
    def clause_cuts(self) -> list[int]:
        """Where clauses end, found on first need (a measure with no candidate specifics needs none)."""
        if self._cuts is None:
            # each cut is where a piece between marks ends: the running sum of (piece + mark) lengths,
            # counted from -1 (all in C: no match object per mark)
            pieces = _CLAUSE_PUNCT.split(self.text)
            self._cuts = list(accumulate(map(_PLUS_ONE, map(len, pieces[:-1])), initial=-1))[1:]
        return self._cuts

    def in_quotes(self, start: int) -> bool:
        """Inside a title or a quoted name ("《关于“三个必须”的通知》"): a name, not a count or a date."""
        i = bisect.bisect_left(self.quote_starts, start) - 1
        return i >= 0 and start < self.quoted[i][1]

    def _around(self, cuts: list[int], start: int, end: int) -> str:
        i = bisect.bisect_left(cuts, start)
        left = cuts[i - 1] + 1 if i else 0
        j = bisect.bisect_left(cuts, end)
        right = cuts[j] if j < len(cuts) else len(self.text)
        return self.text[left:right]

    def clause(self, start: int, end: int) -> str:
        return self._around(self.clause_cuts, start, end)

    def before(self, start: int, n: int) -> str:
        return self.text[max(0, start - n) : start]

    def planned(self, start: int, end: int) -> bool:
        """A specific inside a promise or plan, with nothing reported done in its clause."""
        key = (bisect.bisect_left(self.clause_cuts, start), bisect.bisect_left(self.clause_cuts, end))
        if key not in self._planned:  # one answer per clause
            clause = self.clause(start, end)
            self._planned[key] = bool(FUTURE.search(clause)) and not _DONE_MARK.search(clause)
        return self._planned[key]

    def promised(self, start: int) -> bool:
        """An action announced rather than reported: 将/拟/计划 just before it, and no 已 in its clause."""
        return bool(FUTURE.search(self.before(start, 6))) and "已" not in self.clause(start, start + 1)

    def rule_or_frequency(self, start: int, end: int) -> bool:
        i = bisect.bisect_left(self.clause_cuts, start)
        key = (i, bisect.bisect_left(self.clause_cuts, end))
        if key not in self._rules:  # one answer per clause
            clause = self.clause(start, end)
            self._rules[key] = bool(lx.FREQUENCY.search(clause) or lx.REQUIREMENT.search(clause))
        return self._rules[key]


def _money(t: _Text) -> Iterator[tuple[int, int]]:
    if "元" not in t.text and "万" not in t.text and "亿" not in t.text:
        return  # every amount is written with one of these
    for m in lx.MONEY.finditer(t.text):
        if not t.planned(m.start(), m.end()):
            yield m.start(), m.end()


def _quantity(t: _Text) -> Iterator[tuple[int, int]]:
    for m in QUANTITY_RE.finditer(t.text):
        before = t.before(m.start(), 1)
        if before and (before in "〔[［第" or before.isdigit()):
            continue  # a document number, an ordinal
        if t.planned(m.start(), m.end()) or t.rule_or_frequency(m.start(), m.end()) or t.in_quotes(m.start()):
            continue
        yield m.start(), m.end()
    for m in lx.PERCENT.finditer(t.text) if holds(t.text, _PERCENT_MARK) else ():
        if not t.planned(m.start(), m.end()) and not t.rule_or_frequency(m.start(), m.end()):
            yield m.start(), m.end()
    for m in CN_QUANTITY_RE.finditer(t.text):
        if lx.CN_NOT_COUNT.match(t.text, m.start(1)) or t.in_quotes(m.start()):
            continue
        if t.planned(m.start(), m.end()) or t.rule_or_frequency(m.start(), m.end()):
            continue
        yield m.start(1), m.end()


def _date(t: _Text) -> Iterator[tuple[int, int]]:
    if "每" in t.text:
        yield from _fixed_dates(t)
    if "月" not in t.text and not (holds(t.text, _DATE_SEPARATORS) and _DIGIT_DATE.search(t.text)):
        return
    for m in lx.DATE.finditer(t.text):
        if t.planned(m.start(), m.end()) or t.in_quotes(m.start()):
            continue  # a promised deadline is not evidence of what was done
        yield m.start(), m.end()


def _fixed_dates(t: _Text) -> Iterator[tuple[int, int]]:
    for m in lx.FIXED_DATE.finditer(t.text):
        if not t.promised(m.start()):
            yield m.start(), m.end()


def _document(t: _Text) -> Iterator[tuple[int, int]]:
    if not holds(t.text, _TITLE_MARKS):
        return  # no 《title》, 文号 or quoted name to find
    for m in DOCUMENT_RE.finditer(t.text):
        if lx.DOC_BASIS.search(m.group("gap")) or t.promised(m.start()):
            continue
        yield m.start("doc"), m.end("doc")
    for m in DOCUMENT_AFTER_RE.finditer(t.text):
        if not lx.DOC_BASIS.search(t.before(m.start(), 4)) and not t.planned(m.start(), m.end()):
            yield m.start("doc"), m.end("doc")


def _personnel(t: _Text) -> Iterator[tuple[int, int]]:
    for m in lx.PERSONNEL.finditer(t.text):
        if t.promised(m.start()):
            continue
        rest = t.text[m.end() : m.end() + 4]
        if lx.PERSONNEL_NOT.match(rest) or lx.PERSONNEL_NOT.search(m.group(0)):
            continue  # 约谈机制, 诫勉谈话制度: a rule about the step, not the step
        yield m.start(), m.end()


_CONJUNCTION = re.compile(r"并|和|及|与|、|以|用于|确保|进一步|，")
_ABSTRACT_HEAD = re.compile(rf"(?:{lx.ABSTRACT_OBJECT.pattern})[”」]?$")


def _concrete_object(obj: str) -> bool:
    """The object's head noun (Chinese puts it last) is a thing or a body, not an abstraction."""
    head = _CONJUNCTION.split(obj, maxsplit=1)[0].strip("的了等“”")
    return (
        len(head) >= 2
        and not _ABSTRACT_HEAD.search(head)
        and not lx.VAGUE_QUANTITY.search(head[:2])
        and not re.search(r"相关|有关|各类|各项|^(?:完善|健全|加强|强化|规范)", head)
    )


def _physical(t: _Text) -> Iterator[tuple[int, int]]:
    for m in PHYSICAL_RE.finditer(t.text):
        if _MONEY_VERBS.match(m.group("verb")) or not _concrete_object(m.group("obj")):
            continue
        if t.promised(m.start()) or t.planned(m.start(), m.end()):
            continue
        yield m.start(), m.end()
    for m in lx.REASSIGN.finditer(t.text):
        if not t.promised(m.start()) and not re.search(r"相关|有关|各", m.group("obj")):
            yield m.start(), m.end()
    for m in PHYSICAL_AFTER_RE.finditer(t.text):
        before = _OBJECT_BEFORE.search(t.text, max(0, m.start() - 16), m.start())
        if before is None or _MONEY_VERBS.match(m.group("verb")) or not _concrete_object(before.group("obj")):
            continue
        if t.planned(before.start("obj"), m.end()):
            continue
        yield before.start("obj"), m.end()


Finder = Callable[[_Text], Iterator[tuple[int, int]]]

FINDERS: dict[EvidenceType, Finder] = {
    EvidenceType.MONEY: _money,
    EvidenceType.DATE: _date,
    EvidenceType.QUANTITY: _quantity,
    EvidenceType.DOCUMENT: _document,
    EvidenceType.PERSONNEL_ACTION: _personnel,
    EvidenceType.PHYSICAL_CHANGE: _physical,
}


class _SpanFields(TypedDict):
    start: int
    end: int


class _EvidenceFields(TypedDict):
    type: EvidenceType
    text: str
    span: _SpanFields


class _MeasureFields(TypedDict):
    text: str
    span: Span
    evidence: list[_EvidenceFields]


def _found(text: str, offset: int) -> list[_EvidenceFields]:
    """Each specific in `text` as the fields of its `Evidence` (spans shifted by `offset`), in order.

    Kept as plain fields inside this module so a record's measures and their evidence are validated in
    one call of pydantic's core (`_MEASURES`), not one call per object.
    """
    t = _Text(text)
    found: list[_EvidenceFields] = []
    taken: list[tuple[int, int]] = []
    for etype, finder in FINDERS.items():
        for start, end in finder(t):
            # money beats quantity on the same words; keep the first type that claims a span
            if taken and any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            span: _SpanFields = {"start": offset + start, "end": offset + end}
            found.append({"type": etype, "text": text[start:end], "span": span})
    found.sort(key=lambda e: e["span"]["start"])
    return found


_EVIDENCE = TypeAdapter(list[Evidence])
_MEASURES = TypeAdapter(list[Measure])


def find_evidence(text: str, offset: int = 0) -> list[Evidence]:
    """All evidence in `text` (a measure), spans shifted by `offset` into the notice."""
    return _EVIDENCE.validate_python(_found(text, offset))


def measures_with_evidence(text: str, pieces: list[tuple[str, Span]]) -> list[Measure]:
    """Measures for `pieces` (each a measure's text and span in `text`), their evidence found in one pass.

    The finders run once over the stretch of text the measures cover; each specific goes to the measure
    that holds it (one that straddles two measures belongs to neither).
    """
    if not pieces:
        return []
    start, end = pieces[0][1].start, pieces[-1][1].end
    found = _found(text[start:end], start)
    starts = [e["span"]["start"] for e in found]
    measures: list[_MeasureFields] = []
    k = 0
    for m_text, span in pieces:
        while k < len(found) and starts[k] < span.start:
            k += 1
        mine = []
        j = k
        while j < len(found) and starts[j] < span.end:
            if found[j]["span"]["end"] <= span.end:
                mine.append(found[j])
            j += 1
        measures.append({"text": m_text, "span": span, "evidence": mine})
    return _MEASURES.validate_python(measures)
