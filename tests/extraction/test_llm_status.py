"""An LLM's status is kept only where the notice's own words say it (issue: nothing invented)."""

from __future__ import annotations

from assistant.extraction.llm import verified_status
from assistant.ingest import notice_from_text
from assistant.models import Span, Status

HEAD = "中共某县测试局党组关于巡察整改进展情况的通报\n根据县委统一部署开展整改。\n二、整改进展情况\n"


def _record(from_text, body: str):
    """The notice's text and its one record, as the rules read it."""
    (record,) = from_text(HEAD + body).records
    return notice_from_text(HEAD + body, "t.txt").text, record


def test_an_explicit_status_in_the_notice_always_wins(from_text) -> None:
    text, record = _record(
        from_text, "（一）印章管理不严\n整改结果：阶段性完成\n整改情况：制定印章登记簿。\n"
    )
    status, words, span, note = verified_status(text, record, Status.COMPLETED, None)
    assert (status, words) == (Status.PARTIAL, "整改结果：阶段性完成") and "以通报为准" in note
    assert span.slice(text) == "整改结果：阶段性完成"


def test_a_status_resting_on_aligned_words_the_lexicon_reads_so_is_kept(from_text) -> None:
    text, record = _record(from_text, "（一）印章管理不严\n整改情况：制定印章登记簿，问题已整改到位。\n")
    at = text.index("问题已整改到位")
    status, words, _, note = verified_status(text, record, Status.COMPLETED, Span(start=at, end=at + 7))
    assert (status, words, note) == (Status.COMPLETED, "问题已整改到位", None)


def test_an_unsupported_status_is_rejected_and_the_rules_kept(from_text) -> None:
    text, record = _record(
        from_text, "（一）印章管理不严\n整改情况：制定印章登记簿。历史用印记录正在清理。\n"
    )
    assert record.status == Status.PARTIAL  # a step reported beside work under way
    at = text.index("制定印章登记簿")
    status, _, _, note = verified_status(text, record, Status.COMPLETED, Span(start=at, end=at + 7))
    assert status == record.status and note.startswith("大模型给出的状态“完成”在原文中没有依据")
    status, _, _, note = verified_status(text, record, Status.COMPLETED, None)
    assert status == record.status and "未给出可在原文中找到的依据" in note
