"""The one LLM caller: error classes, Retry-After, JSON in text, usage, the cache, chat and streams."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Literal

import httpx
import openai
import pytest
from fake_openai import FakeOpenAIServer, Reply, completion, error
from langchain_core.messages import AIMessageChunk, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from assistant.providers.cache import CacheEntry, CacheKey, ResponseCache
from assistant.providers.caller import (
    LLMCaller,
    LLMCallError,
    LLMUsage,
    as_caller,
    classify_error,
    parse_json_object,
    retry_after_seconds,
    validation_message,
)
from assistant.providers.llm import make_chat_model
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


class _Reading(BaseModel):
    problem: str
    status: Literal["完成", "阶段性完成", "推进中", "未说明"]


def test_validation_message_names_field_and_value() -> None:
    with pytest.raises(ValidationError) as caught:
        _Reading.model_validate({"problem": "车辆管理混乱", "status": "2018-09-15 完成"})
    message = validation_message(caught.value)
    assert message.startswith("字段 status：Input should be '完成', '阶段性完成', '推进中' or '未说明'")
    assert message.endswith('（收到 "2018-09-15 完成"）')


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


MESSAGES = [SystemMessage(content="只依据段落回答。"), HumanMessage(content="赔付款是多少？")]


def _stream(*pieces: str, usage: tuple[int, int] = (50, 7)) -> Reply:
    """A streamed completion as OpenAI sends it, its usage in a last chunk."""
    base: dict[str, Any] = {"id": "c", "object": "chat.completion.chunk", "created": 1, "model": "m"}
    events = [
        {**base, "choices": [{"index": 0, "delta": {"content": p}, "finish_reason": None}]} for p in pieces
    ]
    events.append({**base, "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    tokens = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
    events.append({**base, "choices": [], "usage": tokens})
    body = "".join(f"data: {json.dumps(e, ensure_ascii=False)}\n\n" for e in events)
    return Reply(
        body=body + "data: [DONE]\n\n",
        headers={"content-type": "text/event-stream"},
    )


def _caller(url: str, tmp_path: Path, waits: list[float]) -> LLMCaller:
    settings = Settings(base_url=url, api_key="k", model="m", cache_dir=tmp_path, max_retries=2)
    model = make_chat_model(settings)
    assert model is not None
    return LLMCaller(model, settings, sleep=waits.append)


def test_chat_is_retried_after_a_429_and_counted(tmp_path: Path) -> None:
    waits: list[float] = []
    replies = [
        error(429, "slow down", {"retry-after": "3"}),
        completion("8250元[1]。", prompt_tokens=80, completion_tokens=6),
    ]
    with FakeOpenAIServer(replies) as server:
        caller = _caller(server.url, tmp_path, waits)
        assert caller.chat(MESSAGES) == "8250元[1]。"
    assert waits == [3.0]
    assert (
        caller.usage.calls,
        caller.usage.retries,
        caller.usage.input_tokens,
        caller.usage.output_tokens,
    ) == (1, 1, 80, 6)
    assert len(server.requests) == 2


def test_a_stream_is_retried_before_its_first_words_and_reports_its_tokens(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeOpenAIServer([error(503, "busy"), _stream("赔付款", "8250元[1]。")]) as server:
        caller = _caller(server.url, tmp_path, waits)
        assert list(caller.stream(MESSAGES)) == ["赔付款", "8250元[1]。"]
    assert len(waits) == 1
    assert (
        caller.usage.calls,
        caller.usage.retries,
        caller.usage.input_tokens,
        caller.usage.output_tokens,
    ) == (1, 1, 50, 7)
    assert all(
        r["stream"] is True and r["stream_options"] == {"include_usage": True} for r in server.requests
    )


class _DroppedMidway:
    """A chat model whose stream breaks after its first words (the connection dropped)."""

    def __init__(self) -> None:
        self.streams = 0

    def stream(self, messages: object) -> Iterator[AIMessageChunk]:
        self.streams += 1
        yield AIMessageChunk(content="赔付款")
        raise openai.APIConnectionError(request=REQUEST)


def test_a_stream_cut_after_its_first_words_is_not_retried(tmp_path: Path) -> None:
    waits: list[float] = []
    model = _DroppedMidway()
    caller = LLMCaller(model, Settings(model="m", cache_dir=tmp_path, max_retries=2), sleep=waits.append)  # type: ignore[arg-type]
    shown: list[str] = []
    with pytest.raises(LLMCallError, match="大模型回答中断") as caught:
        shown.extend(caller.stream(MESSAGES))
    assert shown == ["赔付款"] and caught.value.kind == "transport"
    assert waits == [] and model.streams == 1 and caller.usage.failed_calls == 1


def test_failing_for_good_says_how_often_it_was_retried(tmp_path: Path) -> None:
    waits: list[float] = []
    with FakeOpenAIServer([]) as server:  # every request: 500
        caller = _caller(server.url, tmp_path, waits)
        with pytest.raises(LLMCallError, match="服务端错误，已重试2次"):
            caller.chat(MESSAGES)
    assert len(waits) == 2 and len(server.requests) == 3


def test_as_caller_wraps_a_bare_model_and_passes_a_caller_through(tmp_path: Path) -> None:
    settings = Settings(base_url="http://127.0.0.1:9/v1", api_key="k", model="m", cache_dir=tmp_path)
    model = make_chat_model(settings)
    assert model is not None
    caller = as_caller(model, settings)
    assert isinstance(caller, LLMCaller) and caller.model is model
    assert as_caller(caller) is caller
