"""Notice-level facts for people: the totals the notice claims checked against the records found."""

from __future__ import annotations

from assistant.models import FlagCode, NoticeResult


def claimed_total(result: NoticeResult) -> int | None:
    """The summary count to compare with the records found: the one that matches, else the most specific.

    A notice may give two levels ("15个问题43个具体问题"); the records match one of them, as in
    the `totals_mismatch` rule.
    """
    totals = result.meta.totals
    if totals is None:
        return None
    counts = [c for c in (totals.specific_problems, totals.problems) if c is not None]
    if not counts:
        return totals.record_total
    return len(result.records) if len(result.records) in counts else counts[0]


def totals_check(result: NoticeResult) -> str:
    """相符 / 不符 / 无法识别 / 未写汇总: the totals sentence against the records found."""
    codes = {f.code for f in result.flags}
    if result.meta.totals is None:
        return "无法识别" if FlagCode.TOTALS_UNREADABLE in codes else "未写汇总"
    if result.meta.totals.unreadable or FlagCode.TOTALS_UNREADABLE in codes:
        return "无法识别"
    return "不符" if FlagCode.TOTALS_MISMATCH in codes else "相符"
