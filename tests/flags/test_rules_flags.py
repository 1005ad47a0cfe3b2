"""Flags on the real sample notices, with their Chinese reasons."""

from __future__ import annotations

from assistant.flags import flag_notice
from assistant.models import FlagCode, NoticeMeta, Record, Span, Status, Totals


def _record(processed, prefix: str, problem: str) -> Record:
    (record,) = [r for r in processed(prefix).result.records if r.problem == problem]
    return record


def test_004_quality_claim_is_vague_completion(processed):
    record = _record(processed, "004", "项目建设实施质量把关不严")
    vague = [f for f in record.flags if f.code == FlagCode.VAGUE_COMPLETION]
    assert len(vague) == 1
    assert vague[0].severity == "high"
    assert "全部得到有效处理" in vague[0].reason
    assert "“强化”" in vague[0].reason


def test_flag_spans_point_at_the_decisive_words(processed):
    processed_notice = processed("004")
    record = _record(processed, "004", "项目建设实施质量把关不严")
    (vague,) = [f for f in record.flags if f.code == FlagCode.VAGUE_COMPLETION]
    words = [span.slice(processed_notice.notice.text) for span in vague.spans]
    assert words == ["全部得到有效处理", "强化", "落实"]


def test_concrete_completion_is_not_flagged(processed):
    record = _record(processed, "000", "车辆燃油使用不规范")
    assert record.flags == []


def test_no_totals_mismatch_when_counts_agree(processed):
    for prefix in ("000", "003"):
        assert processed(prefix).result.flags == []


def test_totals_mismatch_names_both_numbers(processed):
    records = processed("000").result.records[:7]
    meta = NoticeMeta(
        totals=Totals(
            text="巡察反馈的9个具体问题，整改完成8个，阶段性完成1个",
            span=Span(start=0, end=10),
            specific_problems=9,
            completed=8,
            partial=1,
        )
    )
    (flag,) = flag_notice(meta, records)
    assert flag.code == FlagCode.TOTALS_MISMATCH
    assert "通报称共9个问题，实际列出7条整改记录" in flag.reason


def test_status_counts_checked_at_the_same_level(processed):
    records = [r.model_copy(update={"status": Status.COMPLETED}) for r in processed("000").result.records]
    meta = processed("000").notice.meta
    (flag,) = flag_notice(meta, records)
    assert "称整改完成8个，记录中为9个" in flag.reason
