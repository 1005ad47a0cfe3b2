"""Record- and notice-level flags (DESIGN.md, "Flags"), each with a Chinese reason.

The reasons name the decisive words so a reviewer can see at once why a claim was flagged.
"""

from __future__ import annotations

import re

from assistant.lexicon.status import GOAL, ONGOING, PENDING, PLEDGE
from assistant.lexicon.vague import GENERIC as GENERIC_WORDS_RE
from assistant.lexicon.vague import OUTCOME as OUTCOME_RE
from assistant.lexicon.vague import STUDY as STUDY_RE
from assistant.models import Extractor, Flag, FlagCode, Measure, NoticeMeta, Record, Severity, Span, Status


def _promise(text: str) -> re.Match[str] | None:
    """Specific work still pending or under way in a measure (a general pledge is not one)."""
    pledges = [(m.start(), m.end() + 12) for m in PLEDGE.finditer(text)]
    for m in (*PENDING.finditer(text), *ONGOING.finditer(text)):
        clause_start = max(text.rfind(p, 0, m.start()) for p in "，,。；;") + 1
        if not any(a <= m.start() < b for a, b in pledges) and not GOAL.search(
            text[clause_start : m.start()]
        ):
            return m
    return None


def _quote(words: list[str], limit: int = 3) -> str:
    uniq = list(dict.fromkeys(w for w in words if w))
    return "、".join(f"“{w}”" for w in uniq[:limit])


def _hits(pattern: re.Pattern[str], measures: list[Measure]) -> list[tuple[str, Span]]:
    """Each match of `pattern` in the measures, with its span in the notice (the decisive words)."""
    return [
        (m.group(0), Span(start=measure.span.start + m.start(), end=measure.span.start + m.end()))
        for measure in measures
        for m in pattern.finditer(measure.text)
    ]


NO_SPECIFICS = "没有数量、金额、日期、所立文件或具体人事处理等可核查的内容"


def flag_record(record: Record) -> list[Flag]:
    flags: list[Flag] = []
    measures = record.measures
    if not measures:
        return _no_measures(record)
    concrete = record.concrete
    all_spans = [m.span for m in measures]
    generic = [] if concrete else _hits(GENERIC_WORDS_RE, measures)  # the decisive words of a vague record
    generic_words = _quote([w for w, _ in generic])
    decisive = [span for _, span in generic] or all_spans
    only_generic = f"，仅见{generic_words}等一般性表述" if generic_words else ""
    if record.status == Status.COMPLETED and not concrete:
        claim_spans = [record.status_span] if record.status_span else []
        flags.append(
            Flag(
                code=FlagCode.VAGUE_COMPLETION,
                severity=Severity.HIGH,
                reason=f"声称“{record.status_text or '完成'}”，但{len(measures)}项措施{NO_SPECIFICS}"
                f"{only_generic}，需跟进核实。",
                spans=claim_spans + decisive,
            )
        )
    if not concrete:
        flags.append(
            Flag(
                code=FlagCode.GENERIC_ONLY,
                severity=Severity.MEDIUM,
                reason=f"全部{len(measures)}项措施{NO_SPECIFICS}{only_generic}。",
                spans=decisive,
            )
        )
    if record.status in (Status.COMPLETED, Status.PARTIAL):
        study = [STUDY_RE.search(m.text) for m in measures]
        if all(study) and not any(OUTCOME_RE.search(m.text) for m in measures):
            words = _hits(STUDY_RE, measures)
            flags.append(
                Flag(
                    code=FlagCode.STUDY_ONLY,
                    severity=Severity.MEDIUM,
                    reason=f"整改仅依靠学习、培训或会议（{_quote([w for w, _ in words])}），未说明取得的实际成效。",
                    spans=[span for _, span in words],
                )
            )
    if record.status == Status.COMPLETED:
        promises = [(m, f) for m in measures for f in [_promise(m.text)] if f]
        if promises:
            words = [f.group(0) for _, f in promises]
            flags.append(
                Flag(
                    code=FlagCode.FUTURE_TENSE_COMPLETION,
                    severity=Severity.MEDIUM,
                    reason=f"标注“完成”，但措施中仍是承诺或待办（{_quote(words)}），与“完成”不符。",
                    spans=[
                        Span(start=m.span.start + f.start(), end=m.span.start + f.end()) for m, f in promises
                    ],
                )
            )
    return flags


def _no_measures(record: Record) -> list[Flag]:
    """A record with no rectification measure at all: nothing in it can be checked."""
    reason = "未列出任何整改措施"
    flags = [
        Flag(
            code=FlagCode.GENERIC_ONLY,
            severity=Severity.MEDIUM,
            reason=f"{reason}。",
            spans=[record.problem_span],
        )
    ]
    if record.status == Status.COMPLETED:
        spans = [record.status_span] if record.status_span else [record.problem_span]
        flags.insert(
            0,
            Flag(
                code=FlagCode.VAGUE_COMPLETION,
                severity=Severity.HIGH,
                reason=f"声称“{record.status_text or '完成'}”，但{reason}，需跟进核实。",
                spans=spans,
            ),
        )
    return flags


def flag_records(records: list[Record], text: str | None = None) -> list[Record]:
    """Records with their rules flags set (existing flags from other sources are kept)."""
    out = []
    for record in records:
        kept = [f for f in record.flags if f.source != Extractor.RULES]
        out.append(record.model_copy(update={"flags": flag_record(record) + kept}))
    return out


def flag_notice(meta: NoticeMeta, records: list[Record], absence: str | None = None) -> list[Flag]:
    """Notice-level flags: nothing found, a text cut off, totals unreadable or at odds with the records."""
    flags: list[Flag] = []
    if not records:
        flags.append(
            Flag(code=FlagCode.NO_RECORDS, severity=Severity.HIGH, reason=absence or "未抽取到整改记录。")
        )
    cut = [r for r in records if r.truncated]
    if cut:
        last = cut[-1]
        flags.append(
            Flag(
                code=FlagCode.TRUNCATED,
                severity=Severity.MEDIUM,
                reason=f"通报正文在第{len(records)}条记录“{last.problem[:20]}”中途结束（可能是网页摘录或文件不完整），"
                "该条及其后的内容可能缺失，请核对原文。",
                spans=[last.source_span],
            )
        )
    totals = meta.totals
    if totals is None:
        return flags
    if totals.unreadable:
        flags.append(
            Flag(
                code=FlagCode.TOTALS_UNREADABLE,
                severity=Severity.LOW,
                reason=f"汇总数字无法识别（原文：“{totals.text}”），可能在发布时丢失了字符，未据此核对。",
                spans=[totals.span],
            )
        )
        return flags
    problems: list[str] = []
    if totals.other_text:
        problems.append(f"通报两处汇总数字不一致（另一处：“{totals.other_text}”）")
    found = len(records)
    counts = [c for c in (totals.specific_problems, totals.problems) if c is not None]
    if counts and found not in counts and records:
        problems.append(f"通报称共{counts[0]}个问题，实际列出{found}条整改记录")
    # status counts are comparable only when stated at the level the records are listed at
    level = totals.specific_problems if totals.specific_problems is not None else totals.problems
    if level == found:
        for key, status, label in (
            ("completed", Status.COMPLETED, "整改完成"),
            ("partial", Status.PARTIAL, "阶段性完成"),
            ("in_progress", Status.IN_PROGRESS, "正在整改"),
        ):
            claimed = getattr(totals, key)
            actual = sum(r.status == status for r in records)
            if claimed is not None and claimed != actual:
                problems.append(f"称{label}{claimed}个，记录中为{actual}个")
    if problems:
        spans = [totals.span] + ([totals.other_span] if totals.other_span else [])
        flags.append(
            Flag(
                code=FlagCode.TOTALS_MISMATCH,
                severity=Severity.MEDIUM,
                reason="通报汇总数字与正文不一致：" + "；".join(problems) + f"（原文：“{totals.text}”）。",
                spans=spans,
            )
        )
    return flags
