"""Pieces of the LLM call machinery: error classes, Retry-After, JSON in text, usage, sections."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

import httpx
import openai
import pytest
from pydantic import ValidationError

from assistant.extract.llm import section_parts, split_prompt
from assistant.extract.llm_cache import CacheEntry, CacheKey, ResponseCache
from assistant.extract.llm_call import (
    LLMUsage,
    classify_error,
    parse_json_object,
    retry_after_seconds,
    validation_message,
)
from assistant.extract.llm_schema import ExtractedRecord
from assistant.ingest import load_notice
from assistant.models import Span
from assistant.prompts import load_prompt
from assistant.settings import Settings

REQUEST = httpx.Request("POST", "http://127.0.0.1/v1/chat/completions")


def _status_error(cls: type[openai.APIStatusError], status: int, message: str = "x", **headers: str):
    response = httpx.Response(status, headers=headers, request=REQUEST)
    return cls(message, response=response, body=None)


def test_classify_errors() -> None:
    assert classify_error(_status_error(openai.RateLimitError, 429)) == "rate_limit"
    assert classify_error(_status_error(openai.InternalServerError, 503)) == "server"
    assert classify_error(openai.APITimeoutError(REQUEST)) == "timeout"
    assert classify_error(openai.APIConnectionError(request=REQUEST)) == "connection"
    assert (
        classify_error(_status_error(openai.BadRequestError, 400, "response_format json_schema")) == "refused"
    )
    assert classify_error(_status_error(openai.UnprocessableEntityError, 422)) == "refused"
    too_long = _status_error(
        openai.BadRequestError, 400, "This model's maximum context length is 8192 tokens"
    )
    assert classify_error(too_long) == "fatal"
    assert classify_error(_status_error(openai.AuthenticationError, 401)) == "fatal"
    assert classify_error(ValueError("boom")) == "fatal"


def test_retry_after_headers() -> None:
    assert retry_after_seconds(_status_error(openai.RateLimitError, 429, **{"retry-after": "7"})) == 7.0
    assert retry_after_seconds(_status_error(openai.RateLimitError, 429, **{"retry-after": "0.5"})) == 0.5
    ms = _status_error(openai.RateLimitError, 429, **{"retry-after-ms": "1500", "retry-after": "9"})
    assert retry_after_seconds(ms) == 1.5
    past = _status_error(openai.RateLimitError, 429, **{"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"})
    assert retry_after_seconds(past) == 0.0
    assert retry_after_seconds(_status_error(openai.RateLimitError, 429)) is None
    assert retry_after_seconds(_status_error(openai.RateLimitError, 429, **{"retry-after": "soon"})) is None


def test_parse_json_object_from_chatty_text() -> None:
    assert parse_json_object('好的，结果如下：\n```json\n{"a": 1}\n```\n以上。') == {"a": 1}
    assert parse_json_object('{"a": {"b": [1, 2]}}') == {"a": {"b": [1, 2]}}
    with pytest.raises(ValueError, match="没有 JSON 对象"):
        parse_json_object("无法回答")
    with pytest.raises(ValueError):
        parse_json_object('{"a": 1,}')


def test_validation_message_names_field_and_value() -> None:
    with pytest.raises(ValidationError) as caught:
        ExtractedRecord.model_validate({"problem": "车辆管理混乱", "status": "2018-09-15 完成"})
    message = validation_message(caught.value)
    assert message.startswith("字段 status：Input should be '完成', '阶段性完成', '推进中' or '未说明'")
    assert message.endswith('（收到 "2018-09-15 完成"）')


def test_schema_cleans_blank_values() -> None:
    record = ExtractedRecord.model_validate(
        {
            "problem": " 车辆管理混乱 ",
            "status": "完成",
            "status_text": " ",
            "measures": ["一", " ", ""],
            "deadline": "",
        }
    )
    assert (record.problem, record.status_text, record.measures, record.deadline) == (
        "车辆管理混乱",
        None,
        ["一"],
        None,
    )


def test_usage_cost_and_summary() -> None:
    usage = LLMUsage(
        calls=10, cache_hits=4, input_tokens=1_000_000, output_tokens=200_000, reasks=2, dropped_values=3
    )
    priced = Settings(price_input_per_mtok=0.5, price_output_per_mtok=2.0)
    assert usage.cost(priced) == pytest.approx(0.9)
    assert usage.summary(priced) == (
        "大模型请求 10 次，缓存命中 4 次；输入 1,000,000 tokens，输出 200,000 tokens，费用约 $0.9000。\n"
        "2 次把校验错误反馈给模型重答；3 个值在原文中找不到，已丢弃。"
    )
    assert usage.cost(Settings()) is None
    assert "费用未知" in usage.summary(Settings())
    total = LLMUsage(calls=1)
    total.add(usage)
    assert total.calls == 11 and total.input_tokens == 1_000_000


def test_prompts_have_system_and_input_parts() -> None:
    for name, fields in (
        ("extract_record", {"headings", "part_note", "section"}),
        ("judge_vague", {"problem", "status", "status_text", "measures", "rules_flags"}),
    ):
        system, template = split_prompt(load_prompt(name).text)
        assert system.startswith("你是")
        assert {f.strip("{} ") for f in re.findall(r"\{\{\s*\w+\s*\}\}", template)} == fields
    assert "{{error}}" in load_prompt("reask").text
    assert "{{schema}}" in load_prompt("json_output").text


def test_long_sections_are_cut_at_sentence_ends(sample_path: Callable[[str], Path]) -> None:
    text = load_notice(sample_path("003")).text
    whole = Span(start=0, end=len(text))
    parts = section_parts(text, whole, 3000)
    assert parts[:2] == [Span(start=0, end=2935), Span(start=2935, end=5927)]
    assert len(parts) == 4
    assert parts[0].start == 0 and parts[-1].end == len(text)
    assert all(a.end == b.start for a, b in pairwise(parts))
    assert all(len(p) <= 3000 for p in parts)
    assert all(text[p.end - 1] in "。；;！？!?\n" for p in parts[:-1])
    assert section_parts(text, Span(start=10, end=500), 3000) == [Span(start=10, end=500)]


def test_cache_round_trip_and_damaged_file(tmp_path: Path) -> None:
    cache = ResponseCache(tmp_path)
    key = CacheKey(
        notice_hash="abc", prompt="extract_record.v1", model="qwen2.5:7b/instruct", input_hash="def"
    )
    assert cache.get(key) is None
    cache.put(CacheEntry(key=key, output={"x": 1}, method="json_schema", input_tokens=5, output_tokens=2))
    assert cache.path(key) == tmp_path / "qwen2.5_7b_instruct" / "abc" / "extract_record.v1-def.json"
    assert cache.get(key) == CacheEntry(
        key=key, output={"x": 1}, method="json_schema", input_tokens=5, output_tokens=2
    )
    cache.path(key).write_text("{trunc", encoding="utf-8")
    assert cache.get(key) is None
