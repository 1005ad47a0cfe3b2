"""Status of a record from its own words (DESIGN.md, "Status rules"; words in `assistant.lexicon.status`).

An explicit status wins (a status line, a bracket mark by the problem, the first words after the
rectification label); then a status-group heading above the record; then what the text reports,
sentence by sentence: resolution of this problem, specific work still pending or under way, other
steps taken. General pledges and the resolution of self-raised items change nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon import status as lx
from assistant.lexicon.labels import RECTIFICATION_LABEL, STATUS_LABEL_WORDS
from assistant.models import Span, Status
from assistant.outline.roles import group_is_mixed

_STATUS_LINE = re.compile(rf"(?:^|(?<=[\n。；;]))[ \t]*[【\[]?{STATUS_LABEL_WORDS}[】\]]?[ \t]*[:：][ \t]*(?P<s>[^。；;，,\n]{{1,20}})")
_SENTENCES = re.compile(r"[^。；;！？\n]+[。；;！？]?")


@dataclass(frozen=True)
class StatusReading:
    status: Status
    text: str | None = None
    span: Span | None = None


def _reading(status: Status, m: re.Match[str], group: str, offset: int) -> StatusReading:
    return StatusReading(status, m.group(group), Span(start=offset + m.start(group), end=offset + m.end(group)))


def explicit_status(text: str, offset: int) -> StatusReading | None:
    """A status the record states outright: a status line, a bracket mark, the label's first words."""
    for m in _STATUS_LINE.finditer(text):
        status = lx.status_of_phrase(m.group("s"))
        if status is not None:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            return StatusReading(status, m.group(0).strip(), Span(start=offset + m.start() + lead, end=offset + m.end()))
    m = lx.BRACKET_STATUS.search(text[:400])
    if m:
        status = lx.status_of_phrase(m.group("s"))
        if status is not None:
            return _reading(status, m, "s", offset)
    for label in RECTIFICATION_LABEL.finditer(text):
        lead = lx.LEADING_STATUS.match(text, label.end())
        if lead:
            status = lx.status_of_phrase(lead.group("s"))
            if status is not None:
                return _reading(status, lead, "s", offset)
    return None


def group_status(group_title: str | None) -> Status | None:
    """The status a status-group heading gives its items (none for a mixed group)."""
    if not group_title:
        return None
    if group_is_mixed(group_title):
        return None
    m = lx.STATUS_GROUP.match(group_title)
    return lx.status_of_phrase(m.group("s")) if m else None


@dataclass
class _Reading:
    done: re.Match[str] | None = None
    partial: re.Match[str] | None = None
    pending: re.Match[str] | None = None
    other_work: bool = False
    done_offset: int = 0
    partial_offset: int = 0
    pending_offset: int = 0


def _read_text(text: str) -> _Reading:
    out = _Reading()
    for sm in _SENTENCES.finditer(text):
        sentence = sm.group(0)
        if len(sentence.strip(" 。；;\n")) < 2:
            continue
        base = sm.start()
        pledge_spans = [(m.start(), _clause_end(sentence, m.end())) for m in lx.PLEDGE.finditer(sentence)]

        def outside(m: re.Match[str], pledges: list[tuple[int, int]] = pledge_spans, s: str = sentence) -> bool:
            """Not inside a pledge, and not a goal ("确保…有序推进")."""
            if any(a <= m.start() < b for a, b in pledges):
                return False
            return not lx.GOAL.search(s[_clause_start(s, m.start()) : m.start()])

        partial = next((m for m in lx.PARTIAL_RE.finditer(sentence) if outside(m)), None)
        pending = next((m for m in (*lx.PENDING.finditer(sentence), *lx.ONGOING.finditer(sentence)) if outside(m)), None)
        done = None
        if not lx.SELF_RAISED.search(sentence):
            returns = [m for m in lx.DONE_RETURN.finditer(sentence)
                       if lx.MONEY_WORDS.search(sentence[_clause_start(sentence, m.start()) : _clause_end(sentence, m.end())])]
            for m in sorted([*lx.DONE.finditer(sentence), *returns], key=lambda m: m.start()):
                clause_start = _clause_start(sentence, m.start())
                if outside(m) and not lx.NOT_DONE_CONTEXT.search(sentence[clause_start : m.start()]):
                    done = m
                    break
        if lx.DECISION.search(sentence):
            out.other_work = True  # the decision itself is a step taken
        if partial and out.partial is None:
            out.partial, out.partial_offset = partial, base
        if pending and out.pending is None:
            out.pending, out.pending_offset = pending, base
        if done and out.done is None:
            out.done, out.done_offset = done, base
        if not pending and not partial and not (pledge_spans and pledge_spans[0][0] == 0) and not lx.PREPARATORY.search(sentence):
            out.other_work = True
    return out


def _clause_start(sentence: str, pos: int) -> int:
    return max(sentence.rfind(p, 0, pos) for p in "，,：:") + 1


def _clause_end(sentence: str, pos: int) -> int:
    ends = [i for i in (sentence.find(p, pos) for p in "，,。；;") if i >= 0]
    return min(ends) if ends else len(sentence)


def read_status(text: str, offset: int, group_title: str | None = None) -> StatusReading:
    """Status of the record whose text (after the problem line) starts at `offset` in the notice."""
    explicit = explicit_status(text, offset)
    if explicit is not None:
        return explicit
    # the problem's own description (symptoms before the label) is not rectification text
    label = RECTIFICATION_LABEL.search(text)
    if label:
        text = " " * label.end() + text[label.end() :]
    r = _read_text(text)

    def span(m: re.Match[str], base: int) -> Span:
        return Span(start=offset + base + m.start(), end=offset + base + m.end())

    grouped = group_status(group_title)
    if grouped is not None:
        if grouped == Status.COMPLETED and (r.pending or r.partial):
            m, base = (r.pending, r.pending_offset) if r.pending else (r.partial, r.partial_offset)
            return StatusReading(Status.PARTIAL, m.group(0), span(m, base))
        return StatusReading(grouped, group_title)
    if r.partial:
        return StatusReading(Status.PARTIAL, r.partial.group(0), span(r.partial, r.partial_offset))
    if r.done and r.pending:
        return StatusReading(Status.PARTIAL, r.pending.group(0), span(r.pending, r.pending_offset))
    if r.done:
        return StatusReading(Status.COMPLETED, r.done.group(0), span(r.done, r.done_offset))
    if r.pending:
        status = Status.PARTIAL if r.other_work else Status.IN_PROGRESS
        return StatusReading(status, r.pending.group(0), span(r.pending, r.pending_offset))
    return StatusReading(Status.UNSTATED)
