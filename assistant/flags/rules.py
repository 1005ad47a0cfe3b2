"""Record- and notice-level flags (DESIGN.md, "Flags"), each with a Chinese reason.

The reasons name the decisive words so a reviewer can see at once why a claim was flagged.
"""

from __future__ import annotations

import re

from assistant.models import Flag, FlagCode, Measure, NoticeMeta, Record, Severity, Span, Status

STUDY_RE = re.compile(r"学习|培训|会议|召开|座谈|讲座|党课|观看|宣讲|研讨|教育|传达|动员|部署会|专题会|警示")
OUTCOME_RE = re.compile(r"制定|修订|出台|印发|建立|设立|免去|调离|退回|上交|追缴|整改到位|已完成|完成了")
FUTURE_RE = re.compile(
    r"将(?:于|在|会|要|继续|进一步|持续|加大|加强|尽快|全面|适时|逐步|作出|对)|"
    r"计划于|计划在|拟于|拟在|力争|争取在|待[^，。；]{1,20}后|尽快|下一步"
)
GENERIC_WORDS_RE = re.compile(r"加强|强化|提高|进一步|落实|完善|严格|提升|规范|深化|推动|持续")


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
        return flags
    concrete = record.concrete
    all_spans = [m.span for m in measures]
    generic = _hits(GENERIC_WORDS_RE, measures)
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
        promises = [(m, f) for m in measures for f in [FUTURE_RE.search(m.text)] if f]
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


def flag_records(records: list[Record], text: str | None = None) -> list[Record]:
    """Records with their rules flags set (existing flags from other sources are kept)."""
    out = []
    for record in records:
        kept = [f for f in record.flags if f.source != "rules"]
        out.append(record.model_copy(update={"flags": flag_record(record) + kept}))
    return out


def flag_notice(meta: NoticeMeta, records: list[Record]) -> list[Flag]:
    """`totals_mismatch`: the notice's summary numbers against the records actually found."""
    totals = meta.totals
    if totals is None:
        return []
    found = len(records)
    counts = [c for c in (totals.specific_problems, totals.problems) if c is not None]
    problems: list[str] = []
    if counts and found not in counts:
        problems.append(f"通报称共{counts[0]}个问题，实际列出{found}条整改记录")
    # status counts are comparable only when stated at the level the records are listed at
    level = totals.specific_problems if totals.specific_problems is not None else totals.problems
    if level == found:
        done = sum(r.status == Status.COMPLETED for r in records)
        partial = sum(r.status == Status.PARTIAL for r in records)
        if totals.completed is not None and totals.completed != done:
            problems.append(f"称整改完成{totals.completed}个，记录中标注完成的为{done}个")
        if totals.partial is not None and totals.partial != partial:
            problems.append(f"称阶段性完成{totals.partial}个，记录中为{partial}个")
    if not problems:
        return []
    return [
        Flag(
            code=FlagCode.TOTALS_MISMATCH,
            severity=Severity.MEDIUM,
            reason="通报汇总数字与正文不一致：" + "；".join(problems) + f"（原文：“{totals.text}”）。",
            spans=[totals.span],
        )
    ]
