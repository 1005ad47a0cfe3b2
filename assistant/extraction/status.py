"""Status of a record from its own words (DESIGN.md, "Status rules"; words in `assistant.lexicon.status`).

An explicit status wins (a status line, a bracket mark by the problem, the first words after the
rectification label); then a status-group heading above the record; then what the text reports,
sentence by sentence: resolution of this problem, specific work still pending or under way, other
steps taken. General pledges and the resolution of self-raised items change nothing.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from assistant.lexicon import status as lx
from assistant.lexicon.fast import Gated, lead
from assistant.lexicon.labels import RECTIFICATION_LABEL, STATUS_LABEL_WORDS
from assistant.models import Span, Status
from assistant.outline.roles import group_is_mixed
from assistant.text.sentences import sentence_spans

_STATUS_LINE = Gated(
    lead(
        re.compile(
            rf"(?:^|(?<=[\n。；;]))[ \t]*[【\[]?{STATUS_LABEL_WORDS}[】\]]?[ \t]*[:：][ \t]*(?P<s>[^。；;，,\n]{{1,20}})"
        )
    ),
    STATUS_LABEL_WORDS,
)


@dataclass(frozen=True)
class StatusReading:
    status: Status
    text: str | None = None
    span: Span | None = None


def _reading(status: Status, m: re.Match[str], group: str, offset: int) -> StatusReading:
    return StatusReading(
        status, m.group(group), Span(start=offset + m.start(group), end=offset + m.end(group))
    )


def explicit_status(
    text: str, offset: int, labels: list[re.Match[str]] | None = None
) -> StatusReading | None:
    """A status the record states outright: a status line, a bracket mark, the label's first words.

    `labels`: the rectification labels of `text`, when the caller has found them already.
    """
    for m in _STATUS_LINE.finditer(text):
        status = lx.status_of_phrase(m.group("s"))
        if status is not None:
            lead = len(m.group(0)) - len(m.group(0).lstrip())
            return StatusReading(
                status, m.group(0).strip(), Span(start=offset + m.start() + lead, end=offset + m.end())
            )
    m = lx.BRACKET_STATUS.search(text[:400])
    if m:
        status = lx.status_of_phrase(m.group("s"))
        if status is not None:
            return _reading(status, m, "s", offset)
    for label in RECTIFICATION_LABEL.finditer(text) if labels is None else labels:
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


def _read_text(text: str) -> _Reading:
    """Read the text sentence by sentence; each pattern runs once over the whole text."""
    out = _Reading()
    sentences = [(s, e) for s, e in sentence_spans(text) if len(text[s:e].strip(" 。；;\n")) >= 2]
    starts = [a for a, _ in sentences]

    def bucket(matches: list[re.Match[str]]) -> dict[int, list[re.Match[str]]]:
        out: dict[int, list[re.Match[str]]] = {}
        for m in matches:
            i = bisect.bisect_right(starts, m.start()) - 1
            if i >= 0 and m.start() < sentences[i][1]:
                out.setdefault(i, []).append(m)
        return out

    def scan(pattern: re.Pattern[str]) -> dict[int, list[re.Match[str]]]:
        return bucket(list(pattern.finditer(text)))

    pledges, partials = scan(lx.PLEDGE), scan(lx.PARTIAL_RE)
    pendings = bucket(
        sorted([*lx.PENDING.finditer(text), *lx.ONGOING.finditer(text)], key=lambda m: m.start())
    )
    dones = bucket(sorted([*lx.DONE.finditer(text), *lx.DONE_RETURN.finditer(text)], key=lambda m: m.start()))
    self_raised, decisions, preparatory = scan(lx.SELF_RAISED), scan(lx.DECISION), scan(lx.PREPARATORY)
    for i, (s_start, s_end) in enumerate(sentences):
        found_partial, found_pending, found_done = partials.get(i), pendings.get(i), dones.get(i)
        pledge = pledges.get(i)
        if not (found_partial or found_pending or found_done or pledge):
            if i not in preparatory:
                out.other_work = True  # a plain report of a step taken
            continue
        sentence = text[s_start:s_end]
        pledge_spans = [(m.start() - s_start, _clause_end(sentence, m.end() - s_start)) for m in pledge or []]
        partial = next((m for m in found_partial or [] if _outside(m, sentence, s_start, pledge_spans)), None)
        pending = next((m for m in found_pending or [] if _outside(m, sentence, s_start, pledge_spans)), None)
        done = None
        if i not in self_raised:
            for m in found_done or []:
                at = m.start() - s_start
                clause = sentence[_clause_start(sentence, at) : _clause_end(sentence, m.end() - s_start)]
                if (
                    lx.DONE_RETURN.fullmatch(m.group(0))
                    and not lx.DONE.fullmatch(m.group(0))
                    and not lx.MONEY_WORDS.search(clause)
                ):
                    continue  # people "退回原单位": a step, not money paid back
                if _outside(m, sentence, s_start, pledge_spans) and not lx.NOT_DONE_CONTEXT.search(
                    sentence[_clause_start(sentence, at) : at]
                ):
                    done = m
                    break
        if i in decisions:
            out.other_work = True  # the decision itself is a step taken
        out.partial = out.partial or partial
        out.pending = out.pending or pending
        out.done = out.done or done
        if (
            not pending
            and not partial
            and not (pledge_spans and pledge_spans[0][0] == 0)
            and i not in preparatory
        ):
            out.other_work = True
    return out


def _outside(m: re.Match[str], sentence: str, base: int, pledge_spans: list[tuple[int, int]]) -> bool:
    """Not inside a pledge, and not a goal ("确保…有序推进")."""
    at = m.start() - base
    if any(a <= at < b for a, b in pledge_spans):
        return False
    return not lx.GOAL.search(sentence[_clause_start(sentence, at) : at])


def _clause_start(sentence: str, pos: int) -> int:
    return max(sentence.rfind(p, 0, pos) for p in "，,：:") + 1


def _clause_end(sentence: str, pos: int) -> int:
    ends = [i for i in (sentence.find(p, pos) for p in "，,。；;") if i >= 0]
    return min(ends) if ends else len(sentence)


def read_status(text: str, offset: int, group_title: str | None = None) -> StatusReading:
    """Status of the record whose text (after the problem line) starts at `offset` in the notice."""
    labels = list(RECTIFICATION_LABEL.finditer(text))
    explicit = explicit_status(text, offset, labels)
    if explicit is not None:
        return explicit
    # the problem's own description (symptoms before the label) is not rectification text
    label = labels[0] if labels else None
    if label:
        text = " " * label.end() + text[label.end() :]
    r = _read_text(text)

    def said(status: Status, m: re.Match[str]) -> StatusReading:
        return StatusReading(status, m.group(0), Span(start=offset + m.start(), end=offset + m.end()))

    grouped = group_status(group_title)
    if grouped is not None:
        if grouped == Status.COMPLETED and (r.pending or r.partial):
            return said(Status.PARTIAL, r.pending or r.partial)  # its own text says otherwise
        return StatusReading(grouped, group_title)
    if r.partial:
        return said(Status.PARTIAL, r.partial)
    if r.done and r.pending:
        return said(Status.PARTIAL, r.pending)
    if r.done:
        return said(Status.COMPLETED, r.done)
    if r.pending:
        return said(Status.PARTIAL if r.other_work else Status.IN_PROGRESS, r.pending)
    return StatusReading(Status.UNSTATED)
