"""Notice-level flags: a notice that yields nothing, a text cut off, totals unreadable or disagreeing."""

from __future__ import annotations

from assistant.flags import flag_notice
from assistant.models import FlagCode, NoticeMeta, Span, Totals

SPAN = Span(start=0, end=4)


def codes(flags) -> list[str]:
    return [f.code.value for f in flags]


def test_no_records_says_what_was_seen() -> None:
    (flag,) = flag_notice(NoticeMeta(), [], "识别到3个编号标题，但没有整改情况。")
    assert flag.code == FlagCode.NO_RECORDS and flag.reason == "识别到3个编号标题，但没有整改情况。"


def test_unreadable_totals_are_reported_not_compared() -> None:
    meta = NoticeMeta(totals=Totals(text="反馈意见指出512个方面40个问题", span=SPAN, unreadable=True))
    (flag,) = flag_notice(meta, [], None)[1:]
    assert flag.code == FlagCode.TOTALS_UNREADABLE and "汇总数字无法识别" in flag.reason


def test_two_disagreeing_statements_are_a_mismatch() -> None:
    totals = Totals(
        text="反馈问题10个",
        span=SPAN,
        problems=10,
        other_text="反馈的11个问题",
        other_span=Span(start=9, end=14),
    )
    flags = flag_notice(NoticeMeta(totals=totals), [], None)
    assert codes(flags) == ["no_records", "totals_mismatch"]
    assert "两处汇总数字不一致" in flags[1].reason and flags[1].spans[1] == Span(start=9, end=14)
