"""The LLM extractors with langchain's fake chat models (no structured output: JSON in the prompt)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from langchain_core.language_models.fake_chat_models import FakeListChatModel, GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.extraction import EXTRACTORS
from assistant.extraction.llm import LLMExtractor
from assistant.flags import flag_record
from assistant.models import FlagCode, Record
from assistant.pipeline import ProcessedNotice, process_notice
from assistant.providers.caller import PROMPT_ONLY
from assistant.settings import Settings


def fake_settings(tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "model": "fake-model",
        "concurrency": 1,
        "max_retries": 2,
        "cache_dir": tmp_path,
    }
    values.update(overrides)
    return Settings(**values)


def messages(*contents: str | dict[str, Any]) -> Iterator[AIMessage]:
    return iter(
        AIMessage(content=c if isinstance(c, str) else json.dumps(c, ensure_ascii=False)) for c in contents
    )


def good_output(record: Record, **changes: Any) -> dict[str, Any]:
    out = {"problem": record.problem, "status": "完成", "status_text": "整改结果：完成"}
    out["measures"] = [m.text for m in record.measures]
    out.update(changes)
    return out


@pytest.fixture
def n000(processed: Callable[[str], ProcessedNotice]) -> ProcessedNotice:
    return processed("000")


@pytest.fixture
def rec(n000: ProcessedNotice) -> Record:
    return n000.result.records[2].model_copy(update={"flags": []})


def test_valid_output_through_a_fake_model(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    model = GenericFakeChatModel(
        messages=messages("好的：\n```json\n" + json.dumps(good_output(rec)) + "\n```")
    )
    ex = LLMExtractor("llm", fake_settings(tmp_path), model, judge=False)
    record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm"
    assert [m.span for m in record.measures] == [m.span for m in rec.measures]
    assert ex.caller.accepted == PROMPT_ONLY  # no structured output in the fake: JSON asked for in the prompt
    assert ex.caller.model_name == "fake-model"


def test_invalid_json_then_valid(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    model = GenericFakeChatModel(messages=messages("对不起，我无法输出 JSON。", good_output(rec)))
    ex = LLMExtractor("llm", fake_settings(tmp_path), model, judge=False)
    assert ex.extract_record(n000.notice, rec).extractor == "llm"
    assert ex.usage.reasks == 1 and ex.usage.calls == 2


def test_schema_violation_beyond_max_retries_falls_back(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    bad = good_output(rec, status="2018-09-15 09:00")
    model = GenericFakeChatModel(messages=messages(bad, bad))
    ex = LLMExtractor("llm", fake_settings(tmp_path, max_retries=1), model, judge=False)
    record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "rules"
    assert record.errors == [
        "大模型抽取失败，已改用规则抽取结果：模型输出2次均未通过校验：字段 status：Input should be '完成', "
        "'阶段性完成', '推进中' or '未说明'（收到 \"2018-09-15 09:00\"）"
    ]


def test_values_not_in_the_source_are_dropped(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    invented = good_output(rec, problem="民辅警违规收受财物", measures=["开除辅警3名", "追缴违纪款5万元"])
    model = GenericFakeChatModel(messages=messages(invented))
    ex = LLMExtractor("llm", fake_settings(tmp_path), model, judge=False)
    record = ex.extract_record(n000.notice, rec)
    # nothing the model said could be found: the rules problem and measures stand, and it is said so
    assert record.problem == rec.problem and record.problem_span == rec.problem_span
    assert record.measures == rec.measures
    assert record.unaligned == ["问题：民辅警违规收受财物", "措施：开除辅警3名", "措施：追缴违纪款5万元"]
    assert record.errors == ["大模型给出的措施都未能在原文中定位，已改用规则抽取的措施"]
    assert ex.usage.dropped_values == 3


def test_cached_answers_need_no_model(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    ex = LLMExtractor(
        "llm", fake_settings(tmp_path), GenericFakeChatModel(messages=messages(good_output(rec)))
    )
    ex.judge = False
    first = ex.extract_record(n000.notice, rec)
    exhausted = GenericFakeChatModel(messages=iter([]))  # any call would fail
    again = LLMExtractor("llm", fake_settings(tmp_path), exhausted, judge=False)
    assert again.extract_record(n000.notice, rec) == first
    assert (again.usage.cache_hits, again.usage.calls) == (1, 0)


def test_hybrid_over_a_notice_with_a_list_model(n000: ProcessedNotice, tmp_path: Path) -> None:
    verdict = {"vague": True, "reason": "措施只有学习和加强，没有可核查的结果。", "quotes": []}
    model = FakeListChatModel(responses=[json.dumps(verdict, ensure_ascii=False)])
    ex = LLMExtractor("hybrid", fake_settings(tmp_path), model, flagger=flag_record)
    from assistant.outline import parse_outline

    records = ex(n000.notice, parse_outline(n000.notice.text))
    judged = [r for r in records if r.judgement]
    assert len(judged) == 8 and ex.usage.calls == 8
    # the six the rules found concrete get an LLM vague_completion; the two the rules flagged agree
    raised = [r.record_id for r in records if any(f.source == "llm" for f in r.flags)]
    assert raised == ["(一)-1", "(一)-2", "(一)-4", "(二)-5", "(二)-6", "(三)-7"]
    assert all(r.judgement is None or r.judgement.vague for r in records)


def test_llm_flags_survive_the_pipeline_beside_the_rules_flags(
    n000: ProcessedNotice, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    verdict = {"vague": False, "reason": "有具体的处理对象和制度文件。", "quotes": []}
    model = FakeListChatModel(responses=[json.dumps(verdict, ensure_ascii=False)])
    monkeypatch.setitem(EXTRACTORS, "hybrid", LLMExtractor("hybrid", fake_settings(tmp_path), model))
    result = process_notice(n000.notice, "hybrid")
    assert result.extractor == "hybrid"
    by_id = {r.record_id: r for r in result.records}
    disputed = by_id["(一)-3"]
    assert [(f.code, f.source) for f in disputed.flags] == [
        (FlagCode.VAGUE_COMPLETION, "rules"),
        (FlagCode.GENERIC_ONLY, "rules"),
        (FlagCode.LLM_DISAGREES, "llm"),
    ]
    assert disputed.judgement is not None and disputed.judgement.agrees_with_rules is False
    assert by_id["(一)-1"].flags == [] and by_id["(一)-1"].judgement is not None
