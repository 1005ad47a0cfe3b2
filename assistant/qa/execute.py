"""Run a `RecordQuery` over the stored records: the same code whether the rules or a model filled it.

`select_records` is the one place that reads the store (its public read API: `results()`,
`notices()`, `get_notice()`); notice-level filters and the table columns (status, flags) are
applied there, so a store backed by a database can push them down to SQL without touching the
rest. What needs the measures' words — money recovered and its amount, personnel steps, dates,
documents, words — is read here from the records with the lexicons every stage shares.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from assistant.lexicon import questions as lx
from assistant.lexicon.evidence import DATE, MONEY
from assistant.lexicon.status import DECISION, GOAL, PENDING
from assistant.models import EvidenceType, Measure, NoticeResult, Record, Span
from assistant.qa.query import (
    ActionHit,
    DateRange,
    MoneyAction,
    MoneyEvent,
    PersonnelAction,
    RecordQuery,
    RecordRow,
    RecordsResult,
    Target,
    UnitSummary,
)
from assistant.text.fold import fold as _fold
from assistant.text.numerals import money_amount
from assistant.text.sentences import SENTENCE_ENDS, clause_spans, sentence_spans

if TYPE_CHECKING:
    from assistant.store import NoticeHead, NoticeStore, SearchFilters

MONEY_PATTERNS: dict[MoneyAction, re.Pattern[str]] = {
    MoneyAction.RECOVERED: lx.RECOVERED,
    MoneyAction.RETURNED: lx.RETURNED,
    MoneyAction.FINED: lx.FINED,
}
PERSONNEL_PATTERNS: dict[PersonnelAction, re.Pattern[str]] = {
    PersonnelAction.ADMONITION: lx.ADMONITION,
    PersonnelAction.REMINDER: lx.REMINDER,
    PersonnelAction.INTERVIEW: lx.INTERVIEW,
    PersonnelAction.CRITICISM: lx.CRITICISM,
    PersonnelAction.DISMISSAL: lx.DISMISSAL,
    PersonnelAction.TRANSFER: lx.TRANSFER,
    PersonnelAction.SANCTION: lx.SANCTION,
    PersonnelAction.PAY_DEDUCTION: lx.PAY_DEDUCTION,
}
# Names, not steps: document titles, and quoted rules ("“…不达标人员调岗”等考评制度").
_TITLE = re.compile(r"《[^》]*》|(?:“[^”]{1,30}”、?)+(?=等?[^，,。；]{0,6}(?:制度|机制|规定|办法|要求|原则))")
_DATE_PARTS = re.compile(r"(?:(?P<y>\d{4})\s*年\s*)?(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")


def unit_name(result: NoticeResult | NoticeHead) -> str:
    """How the answer names a notice: 单位 · 发布日期 (the one naming the interfaces share)."""
    meta = result.meta
    return _label(result.source_name, meta.organisation, meta.published, meta.title, meta.inspection_group)


@lru_cache(maxsize=4096)
def _label(*parts: Any) -> str:
    from assistant.naming import NoticeName

    return NoticeName.of(*parts).label


def notice_day(result: NoticeResult) -> dt.date | None:
    """The date a notice belongs to: published, else its feedback date or the end of the inspection."""
    meta = result.meta
    return meta.published or meta.feedback_date or meta.period_end


# ---- reading the store -----------------------------------------------------------------------


def _sentences(text: str) -> Iterable[tuple[int, str]]:
    """(start, sentence without its closing mark) for each sentence of a measure."""
    for start, end in sentence_spans(text):
        yield start, text[start:end].rstrip(SENTENCE_ENDS)


def _comma_clause(sentence: str, at: int) -> str:
    """The comma clause around `at`, not cut at 、 (a list of objects belongs to one verb)."""
    start = max(sentence.rfind(p, 0, at) for p in "，,") + 1
    ends = [i for p in "，," if (i := sentence.find(p, at)) >= 0]
    return sentence[start : min(ends) if ends else len(sentence)]


def _clauses(sentence: str) -> Iterable[tuple[int, int, str]]:
    """(start, end, clause) for the comma clauses of a sentence (the kernel's quote-aware split)."""
    for start, end in clause_spans(sentence):
        if end > start:
            yield start, end, sentence[start:end]


def _names(result: NoticeResult) -> str:
    meta = result.meta
    return _fold(
        "".join(x or "" for x in (meta.organisation, meta.inspected_unit, meta.title, result.source_name))
    )


_UNIT_SUFFIX = re.compile(r"(?:支队|大队|中队|局|党组|党委|委员会)$")


def organisation_ids(words: Sequence[str], results: Sequence[NoticeResult]) -> set[str]:
    """Notices whose issuing unit any of `words` names: by place ("望江交管大队"), by the name itself,
    or by how people call the unit ("交警支队" for 公安局交通警察支队; its 支队 must be in the name)."""
    from assistant.qa.retrieval import detect_scope, notice_names

    aliases = {n.notice_id: n.units for n in notice_names(results)}
    ids: set[str] = set()
    for word in words:
        named = detect_scope(word, results).notice_ids
        if named:
            ids.update(named)
            continue
        suffix = _UNIT_SUFFIX.search(word)
        for r in results:
            names = _names(r)
            if _fold(word) in names or (
                any(a in word for a in aliases.get(r.notice_id, []))
                and (suffix is None or suffix.group(0) in names)
            ):
                ids.add(r.notice_id)
    return ids


def _round_of(store: NoticeStore, notice_id: str) -> int | None:
    from assistant.text.numerals import cn_number

    notice, result = store.get_notice(notice_id), store.get_result(notice_id)
    if notice is None or result is None:
        return None
    first = min((r.source_span.start for r in result.records), default=len(notice.text))
    m = lx.ROUND.search(notice.text[: max(first, 0)] or notice.text[:600])
    return cn_number(m.group("n")) if m else None


def _notice_passes(
    result: NoticeResult | NoticeHead, q: RecordQuery, allowed: set[str] | None, filters: SearchFilters | None
) -> bool:
    if q.notice_ids and result.notice_id not in q.notice_ids:
        return False
    if allowed is not None and result.notice_id not in allowed:
        return False
    if q.notice_dates is not None:
        day = notice_day(result)
        if day is None or not q.notice_dates.contains(day):
            return False
    if filters is None:
        return True
    meta = result.meta
    if filters.notice_id and result.notice_id != filters.notice_id:
        return False
    if filters.organisation and filters.organisation not in (meta.organisation or "") + result.source_name:
        return False
    if filters.date_from and (meta.published is None or meta.published < filters.date_from):
        return False
    return not (filters.date_to and (meta.published is None or meta.published > filters.date_to))


def _record_passes(record: Record, q: RecordQuery, filters: SearchFilters | None) -> bool:
    if q.statuses and record.status not in q.statuses:
        return False
    if q.any_flag and not record.flags:
        return False
    if q.flags and not any(f.code in q.flags for f in record.flags):
        return False
    if filters is not None:
        if filters.status and record.status.value != filters.status:
            return False
        if filters.flag and filters.flag not in record.flag_codes:
            return False
    return True


def _may_match(q: RecordQuery) -> Callable[[str], bool] | None:
    """A cheap test on a record's stored JSON that every record `match_record` keeps passes: the
    measure-level filters' words looked for in the measures' text before the record is parsed."""
    checks: list[Callable[[list[str]], bool]] = []
    if q.money is not None:
        verbs = [MONEY_PATTERNS[a] for a in q.money] if q.money else list(MONEY_PATTERNS.values())
        checks.append(lambda texts: any(p.search(t) for p in verbs for t in texts))
    if q.personnel is not None:
        steps = (
            [PERSONNEL_PATTERNS[a] for a in q.personnel] if q.personnel else list(PERSONNEL_PATTERNS.values())
        )
        checks.append(
            lambda texts: any(
                p.search(_TITLE.sub(lambda m: "　" * len(m.group(0)), t)) for t in texts for p in steps
            )
        )
    if q.dates is not None:
        checks.append(lambda texts: any(DATE.search(t) for t in texts))
    if not checks:
        return None

    def keep(raw: str) -> bool:
        texts = [m["text"] for m in json.loads(raw).get("measures", [])]
        return all(check(texts) for check in checks)

    return keep


def select_records(
    store: NoticeStore, q: RecordQuery, filters: SearchFilters | None = None
) -> tuple[list[NoticeHead], list[tuple[NoticeHead, Record]]]:
    """The notices in scope and their records passing the table-level filters (status, flags).

    Notice-level filters read the notices' metadata (`heads`); the records table is queried by
    notice, status and flag columns, so only the records that can match are read."""
    heads = store.heads()
    allowed = organisation_ids(q.organisations, heads) if q.organisations else None
    in_scope = [h for h in heads if _notice_passes(h, q, allowed, filters)]
    if q.round is not None:
        in_scope = [h for h in in_scope if _round_of(store, h.notice_id) == q.round]
    statuses = {s.value for s in q.statuses}
    if filters is not None and filters.status:
        statuses = statuses & {str(filters.status)} if statuses else {str(filters.status)}
        if not statuses:
            return in_scope, []
    flags = (
        [str(f) for f in q.flags] if q.flags else ([str(filters.flag)] if filters and filters.flag else [])
    )
    by_id = {h.notice_id: h for h in in_scope}
    rows = store.query_records(
        None if len(in_scope) == len(heads) else list(by_id),
        statuses=sorted(statuses),
        flags=flags,
        any_flag=q.any_flag or bool(filters and filters.flag),
        keep=_may_match(q),
    )
    return in_scope, [
        (by_id[nid], rec) for nid, rec in rows if nid in by_id and _record_passes(rec, q, filters)
    ]


# ---- reading the measures --------------------------------------------------------------------


def _pieces(pattern: re.Pattern[str], text: str, base: int) -> Iterable[tuple[str, int]]:
    for m in pattern.finditer(text):
        yield m.group(0), base + m.start()


def _pending_before(sentence: str, at: int) -> bool:
    """Is the verb at `at` announced rather than done ("决定将…返还", "将于6月底前退还")?"""
    head = sentence[:at]
    clause_start = max(head.rfind(p) for p in "，,") + 1
    clause_head = head[clause_start:]
    return bool(
        PENDING.search(clause_head + sentence[at : at + 4])
        or DECISION.search(head)
        or GOAL.search(clause_head)
    )


def _amount_near(sentence: str, clause_start: int, clause_end: int, verb_at: int) -> re.Match[str] | None:
    """The amount a money verb is about: nearest in its clause, else the nearest before it."""
    inside = [m for m in MONEY.finditer(sentence, clause_start, clause_end)]
    if inside:
        return min(inside, key=lambda m: abs(m.start() - verb_at))
    before = [m for m in MONEY.finditer(sentence, 0, clause_start)]
    if before and not lx.MONEY_VERBS.search(sentence, before[-1].end(), clause_start):
        return before[-1]
    return None


def money_events(measure: Measure) -> list[MoneyEvent]:
    """Money recovered, returned or fined in a measure, each clause once, with its amount if any."""
    out: list[MoneyEvent] = []
    text = measure.text
    for s_start, sentence in _sentences(text):
        if not lx.MONEY_NOUNS.search(sentence) or lx.ROUTINE_FEES.search(sentence):
            continue
        for c_start, c_end, clause in _clauses(sentence):
            for action, pattern in MONEY_PATTERNS.items():
                verb = pattern.search(clause)
                if verb is None:
                    continue
                at = c_start + verb.start()
                if _pending_before(sentence, at):
                    continue
                # "4.54万元税费，…已退回大队多支付税款": the money may sit in an earlier clause
                about_money = lx.MONEY_NOUNS.search(clause) or MONEY.search(sentence, 0, c_start)
                if not about_money and action != MoneyAction.FINED:
                    continue
                amount = _amount_near(sentence, c_start, c_end, at)
                parsed = money_amount(amount.group(0)) if amount else None
                start = s_start + (min(c_start, amount.start()) if amount else c_start)
                end = s_start + c_end
                out.append(
                    MoneyEvent(
                        action=action,
                        quote=text[start:end].strip(),
                        span=Span(start=measure.span.start + start, end=measure.span.start + end),
                        amount_text=amount.group(0) if amount else None,
                        yuan=parsed.yuan if parsed else None,
                        approximate=parsed.approximate if parsed else False,
                    )
                )
                break  # one event per clause: "追缴并退回" is one sum of money
    return out


def personnel_hits(measure: Measure) -> list[ActionHit]:
    """Personnel steps on the unit's own people named in a measure (titles of documents ignored)."""
    text = _TITLE.sub(lambda m: "　" * len(m.group(0)), measure.text)
    out: list[ActionHit] = []
    for s_start, sentence in _sentences(text):
        warnings = [w.span() for w in lx.WARNING_CASE.finditer(sentence)]
        for c_start, c_end, clause in _clauses(sentence):
            for action, pattern in PERSONNEL_PATTERNS.items():
                m = pattern.search(clause)
                if m is None or _pending_before(clause, m.start()):
                    continue
                if lx.OUTSIDE_PARTIES.search(_comma_clause(sentence, c_start + m.start())):
                    continue  # "约谈32家快递、外卖企业": people the unit regulates, not its own
                if any(a <= c_start + m.start() < b for a, b in warnings):
                    continue  # a case announced as a warning, not a step taken
                start, end = s_start + c_start + m.start(), s_start + c_start + m.end()
                out.append(
                    ActionHit(
                        action=action,
                        quote=measure.text[s_start + c_start : s_start + c_end].strip(),
                        span=Span(start=measure.span.start + start, end=measure.span.start + end),
                    )
                )
    return out


def date_range_of(text: str) -> DateRange | None:
    """The days a written date covers ("2024年11月" → the month); None without a year."""
    m = _DATE_PARTS.search(text)
    if m is None or not m.group("y"):
        return None
    year, month = int(m.group("y")), int(m.group("m"))
    if not 1 <= month <= 12:
        return None
    if m.group("d"):
        try:
            day = dt.date(year, month, int(m.group("d")))
        except ValueError:
            return None
        return DateRange(start=day, end=day)
    nxt = dt.date(year + month // 12, month % 12 + 1, 1)
    return DateRange(start=dt.date(year, month, 1), end=nxt - dt.timedelta(days=1))


def dated(measure: Measure, within: DateRange) -> list[tuple[str, Span]]:
    """Dates written in a measure that fall inside `within`."""
    out = []
    for m in DATE.finditer(measure.text):
        r = date_range_of(m.group(0))
        if r is not None and r.start <= within.end and within.start <= r.end:
            out.append(
                (m.group(0), Span(start=measure.span.start + m.start(), end=measure.span.start + m.end()))
            )
    return out


def _words_found(record: Record, words: Sequence[str]) -> list[Span]:
    """Spans of every word in the problem or measures; empty when any word is missing."""
    spans: list[Span] = []
    pieces = [(record.problem, record.problem_span.start)] + [(m.text, m.span.start) for m in record.measures]
    for word in words:
        w = _fold(word)
        hits = [
            Span(start=base + i, end=base + i + len(word))
            for text, base in pieces
            if (i := _fold(text).find(w)) >= 0
        ]
        if not hits:
            return []
        spans.append(hits[0])
    return spans


def match_record(result: NoticeResult, record: Record, q: RecordQuery) -> RecordRow | None:
    """The row for a record that meets the query's measure-level filters, or None."""
    quotes: list[Span] = []
    evidence = record.evidence
    if q.evidence and not all(any(e.type == t for e in evidence) for t in q.evidence):
        return None
    money: list[MoneyEvent] = []
    if q.money is not None:
        money = [e for m in record.measures for e in money_events(m) if not q.money or e.action in q.money]
        if not money:
            return None
        quotes += [e.span for e in money]
    personnel: list[ActionHit] = []
    if q.personnel is not None:
        personnel = [
            h
            for m in record.measures
            for h in personnel_hits(m)
            if not q.personnel or h.action in q.personnel
        ]
        if not personnel:
            return None
        quotes += [h.span for h in personnel]
    dates: list[str] = []
    if q.dates is not None:
        found = [d for m in record.measures for d in dated(m, q.dates)]
        if not found:
            return None
        dates = list(dict.fromkeys(text for text, _ in found))
        quotes += [span for _, span in found]
    if q.words:
        spans = _words_found(record, q.words)
        if not spans:
            return None
        quotes += spans
    if q.flags or q.any_flag:  # the words a flag rests on: the claim and the generic wording
        quotes += [sp for f in record.flags if q.any_flag or f.code in q.flags for sp in f.spans]
    documents = [e.text for e in evidence if e.type == EvidenceType.DOCUMENT]
    if EvidenceType.DOCUMENT in q.evidence:
        quotes += [e.span for e in evidence if e.type == EvidenceType.DOCUMENT]
    return RecordRow(
        notice_id=result.notice_id,
        source_name=result.source_name,
        unit=unit_name(result),
        record_id=record.record_id,
        problem=record.problem,
        problem_span=record.problem_span,
        status=record.status,
        flags=[f.code for f in record.flags],
        money=money,
        personnel=personnel,
        documents=list(dict.fromkeys(documents)),
        dates=dates,
        quotes=quotes or [record.problem_span],
    )


def run_query(store: NoticeStore, q: RecordQuery, filters: SearchFilters | None = None) -> RecordsResult:
    """Execute the query: rows in notice order, per-unit counts, and the money total for a sum."""
    in_scope, candidates = select_records(store, q, filters)
    rows = [row for res, rec in candidates if (row := match_record(res, rec, q)) is not None]
    unpriced: list[RecordRow] = []
    total: Decimal | None = None
    if q.money is not None:
        priced = [r.yuan for r in rows if r.yuan is not None]
        total = sum(priced, Decimal(0)) if priced else None
    if q.target == Target.SUM:
        unpriced = [r for r in rows if r.yuan is None]
        rows = [r for r in rows if r.yuan is not None]
    per_unit = []
    by_notice: dict[str, list[RecordRow]] = {}
    for row in rows:
        by_notice.setdefault(row.notice_id, []).append(row)
    for res in in_scope:
        mine = by_notice.get(res.notice_id, [])
        amounts = [r.yuan for r in mine if r.yuan is not None]
        per_unit.append(
            UnitSummary(
                notice_id=res.notice_id,
                source_name=res.source_name,
                unit=unit_name(res),
                count=len(mine),
                yuan=sum(amounts, Decimal(0)) if amounts else None,
            )
        )
    return RecordsResult(
        query=q,
        rows=rows,
        unpriced=unpriced,
        notices_in_scope=[r.notice_id for r in in_scope],
        records_in_scope=sum(r.records for r in in_scope),
        per_unit=per_unit,
        total_yuan=total,
    )
