"""Offline routing: a question becomes a `RecordQuery` by rules over the shared lexicons, or None.

None means an ordinary question, answered by retrieval as before. A question is a records question
when it asks for a set (哪些, 有没有, 几个问题, 合计, 哪些单位, 各单位) *and* names something the
records table holds: a status, a flag, money recovered, a personnel step, a document made, a date in
the measures, a round, or the notice's total. The same pattern that reads an action in a measure
reads it in the question (`assistant.lexicon.questions`).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence

from assistant.lexicon import questions as lx
from assistant.lexicon.status import status_of_phrase
from assistant.models import EvidenceType, FlagCode, NoticeResult, Status
from assistant.qa.execute import MONEY_PATTERNS, PERSONNEL_PATTERNS, date_range_of
from assistant.qa.query import TALKS, DateRange, MoneyAction, PersonnelAction, RecordQuery, Target
from assistant.qa.retrieval import NoticeName, notice_names, scope_of
from assistant.qa.text import UNIT_PHRASES, content_tokens
from assistant.text.numerals import cn_number

# Counting items with no noun after the classifier ("阶段性完成的一共几个？").
_BARE_COUNT = re.compile(r"(?:几|多少)\s*[个条项件]\s*[？?。！!]?\s*$")
# "针对网约车审批问题…", "关于公务用车的…", "涉及罚款的": the topic a question narrows to.
_TOPIC = re.compile(r"(?:针对|关于|涉及|有关)(?P<t>[\u4e00-\u9fff]{2,12}?)(?:问题|方面|工作|的|$)")


def _statuses(question: str) -> list[Status]:
    question = lx.IN_RECTIFICATION.sub("", question)
    if lx.ASKS_UNSTATED.search(question):
        return [Status.UNSTATED]
    if lx.ASKS_NOT_DONE.search(question):
        return [Status.PARTIAL, Status.IN_PROGRESS]
    status = status_of_phrase(question)
    return [status] if status else []


def _flags(question: str, claims_done: bool) -> tuple[list[FlagCode], bool]:
    """(flag codes asked, whether any flag will do)."""
    if lx.ASKS_FLAGGED.search(question):
        return [], True
    if lx.ASKS_VAGUE.search(question):
        if claims_done:
            return [FlagCode.VAGUE_COMPLETION], False
        return [FlagCode.GENERIC_ONLY, FlagCode.VAGUE_COMPLETION], False
    if lx.ASKS_STUDY_ONLY.search(question):
        return [FlagCode.STUDY_ONLY], False
    if lx.ASKS_FUTURE.search(question):
        return [FlagCode.FUTURE_TENSE_COMPLETION], False
    return [], False


def _money(question: str) -> list[MoneyAction] | None:
    actions = [a for a, p in MONEY_PATTERNS.items() if p.search(question)]
    if not actions or not (lx.MONEY_QUESTION.search(question) or MoneyAction.FINED in actions):
        return None
    return actions


def _personnel(question: str) -> list[PersonnelAction] | None:
    actions = [a for a, p in PERSONNEL_PATTERNS.items() if p.search(question)]
    if actions:
        return actions
    if lx.ASKS_TALK.search(question):
        return list(TALKS)
    if lx.ASKS_ANY_PERSONNEL.search(question):
        return []
    return None


def _unit_is_sanctioned(question: str) -> bool:
    """ "哪个单位因…被省纪委通报批评": the unit itself is the one handled, not its people."""
    m = re.search(r"(?:单位|通报)(?P<between>[^，。？?]*?)被", question)
    return bool(m) and not lx.PERSON_WORDS.search(m.group("between") + question[m.end() : m.end() + 2])


def _year_range(question: str) -> DateRange | None:
    years = [int(m.group("y")) for m in lx.YEAR.finditer(question)]
    if not years:
        return None
    return DateRange(start=dt.date(min(years), 1, 1), end=dt.date(max(years), 12, 31))


def _is_category(text: str) -> bool:
    return bool(
        lx.MONEY_VERBS.search(text)
        or any(p.search(text) for p in PERSONNEL_PATTERNS.values())
        or lx.ASKS_VAGUE.search(text)
        or lx.ASKS_FLAGGED.search(text)
        or lx.DOCUMENT_NOUNS.search(text)
        or status_of_phrase(text)
    )


def _topic_words(question: str, mentions: Sequence[str]) -> list[str]:
    m = _TOPIC.search(question)
    if m is None or _is_category(m.group("t")):
        return []
    return content_tokens(m.group("t"), frozenset(mentions))


def _organisation_words(question: str) -> list[str]:
    """Unit words named without a place ("哪些交通运输局…"): they filter by organisation."""
    found = [p for p in UNIT_PHRASES if p in question]
    return [p for p in found if not any(p != q and p in q for q in found)]


class _Frame:
    """What shape of answer a question asks for."""

    def __init__(self, q: str) -> None:
        self.lists = bool(lx.ASKS_LIST.search(q) or lx.ASKS_EXISTS.search(q))
        self.units = bool(lx.ASKS_UNITS.search(q))
        self.compare = bool(lx.ASKS_COMPARE.search(q))
        self.sums = bool(lx.ASKS_SUM.search(q))
        self.about = bool(lx.ABOUT_RECORDS.search(q) or _BARE_COUNT.search(q))
        self.counts = bool(lx.ASKS_COUNT.search(q)) and self.about

    @property
    def any(self) -> bool:
        return self.lists or self.units or self.compare or self.sums or self.counts


def has_set_frame(question: str) -> bool:
    """Does the question ask for a list, a count, a sum, units or a comparison at all?

    A question without one ("赔付款是多少，什么时候上交的?") is about one record's details and goes
    to retrieval without asking the model to route it.
    """
    return _Frame(question.strip()).any


def route(
    question: str, results: Sequence[NoticeResult] = (), *, names: Sequence[NoticeName] | None = None
) -> RecordQuery | None:
    """The records query a question asks, or None for a question retrieval should answer.

    The notices it may name are `names` (the store's `stored_names`), else those of `results`."""
    q = question.strip()
    frame = _Frame(q)
    if not frame.any:
        return None
    lists, units, compare, sums, about, counts = (
        frame.lists,
        frame.units,
        frame.compare,
        frame.sums,
        frame.about,
        frame.counts,
    )

    claims_done = bool(lx.CLAIMED_DONE.search(q) or Status.COMPLETED in _statuses(q))
    flags, any_flag = _flags(q, claims_done)
    # "声称完成但措施空泛": the vague-completion flag already means a 完成 claim
    statuses = [] if FlagCode.VAGUE_COMPLETION in flags else _statuses(q)
    money = _money(q)
    personnel = None if money is not None else _personnel(q)
    if personnel is not None and _unit_is_sanctioned(q):
        return None
    evidence = [EvidenceType.DOCUMENT] if lx.DOCUMENT_NOUNS.search(q) and lx.DOCUMENT_MAKING.search(q) else []
    m = lx.MONTH_DAY.search(q)
    dates = date_range_of(m.group(0)) if m else None
    rnd = lx.ROUND.search(q)
    total = counts and bool(lx.ASKS_TOTAL.search(q))
    named = bool(statuses or flags or any_flag or money is not None or personnel is not None)
    if not (named or evidence or dates or rnd or total):
        return None
    if not (about or money is not None or personnel is not None or evidence or units):
        return None

    if sums and money is not None:
        target = Target.SUM
    elif units and not compare:
        target = Target.UNITS
    elif counts and not lists:
        target = Target.COUNT
    else:
        target = Target.RECORDS
    scope = scope_of(q, notice_names(results) if names is None else names)
    return RecordQuery(
        target=target,
        notice_ids=scope.notice_ids,
        organisations=[] if scope.notice_ids else _organisation_words(q),
        round=cn_number(rnd.group("n")) if rnd else None,
        notice_dates=_year_range(q) if dates is None else None,
        statuses=statuses,
        flags=flags,
        any_flag=any_flag,
        evidence=evidence,
        money=money,
        personnel=personnel,
        dates=dates,
        words=_topic_words(q, scope.mentions),
        by_unit=compare,
    )
