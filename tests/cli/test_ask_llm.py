"""`audit ask` with an endpoint configured: the answer streams from a local OpenAI-compatible server
(server-sent events, as OpenAI sends them), citations are checked, sources listed."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAIServer, Reply, error, user_text
from typer.testing import CliRunner

from assistant.cli import app
from assistant.settings import get_settings

runner = CliRunner(env={"COLUMNS": "300"})
LLM_ENV = ("OPENAI_BASE_URL", "OPENAI_API_KEY", "AUDIT_MODEL", "AUDIT_CONFIG")
QUESTION = "望江交管大队中央隔离护栏赔付款是多少？"


def sse(*pieces: str, usage: tuple[int, int] | None = None) -> Reply:
    """A streamed chat completion: one chunk per piece, then [DONE] (after a usage chunk, as
    OpenAI sends one when asked with stream_options.include_usage)."""
    events = []
    for i, piece in enumerate(pieces):
        delta: dict[str, Any] = {"content": piece} if i else {"role": "assistant", "content": piece}
        chunk = {
            "id": "chatcmpl-stream",
            "object": "chat.completion.chunk",
            "created": 1718000000,
            "model": "stub-model",
            "choices": [{"index": 0, "delta": delta, "finish_reason": None}],
        }
        events.append(f"data: {json.dumps(chunk, ensure_ascii=False)}\n\n")
    done = {
        "id": "chatcmpl-stream",
        "object": "chat.completion.chunk",
        "created": 1718000000,
        "model": "stub-model",
        "choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}],
    }
    events.append(f"data: {json.dumps(done)}\n\n")
    if usage is not None:
        tokens = {"prompt_tokens": usage[0], "completion_tokens": usage[1], "total_tokens": sum(usage)}
        events.append(f"data: {json.dumps({**done, 'choices': [], 'usage': tokens})}\n\n")
    events.append("data: [DONE]\n\n")
    return Reply(body="".join(events), headers={"content-type": "text/event-stream"})


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_CONFIG", str(tmp_path / "absent.toml"))
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="module")
def store_dir(sample_store) -> Path:
    return sample_store.path


def _configure(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", url)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.setenv("AUDIT_MODEL", "stub-model")
    get_settings.cache_clear()


def test_ask_streams_a_cited_answer(monkeypatch: pytest.MonkeyPatch, store_dir: Path) -> None:
    with FakeOpenAIServer([sse("中央隔离护栏赔付款", "8250元，", "4月5日已上交国库[1]。")]) as server:
        _configure(monkeypatch, server.url)
        result = runner.invoke(app, ["ask", QUESTION, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "中央隔离护栏赔付款8250元，4月5日已上交国库[1]。" in result.output
    assert "未配置语言模型" not in result.output
    assert "[1] 望江县公安局交通管理大队 · 日期未注明" in result.output
    (request,) = server.requests
    assert request["stream"] is True
    prompt = user_text(request)
    assert prompt.startswith("通报段落：\n\n[1]（望江县公安局交通管理大队；001_3fc582a97ef44a37.txt；")
    assert prompt.endswith(f"问题：{QUESTION}")


def test_ask_warns_when_the_model_cites_a_passage_it_was_not_given(
    monkeypatch: pytest.MonkeyPatch, store_dir: Path
) -> None:
    with FakeOpenAIServer([sse("赔付款8250元已上交国库[7]。")]) as server:
        _configure(monkeypatch, server.url)
        result = runner.invoke(app, ["ask", QUESTION, "--store", str(store_dir), "-k", "5"])
    assert result.exit_code == 0, result.output
    assert "回答引用了未提供的段落 [7]" in result.output
    assert "不能视为有通报依据" in result.output
    assert "来源" not in result.output


def test_ask_falls_back_offline_when_the_endpoint_fails(
    monkeypatch: pytest.MonkeyPatch, store_dir: Path
) -> None:
    with FakeOpenAIServer([]) as server:  # every request gets a 500
        _configure(monkeypatch, server.url)
        result = runner.invoke(app, ["ask", QUESTION, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "大模型调用失败" in result.output and "已重试2次" in result.output
    assert len(server.requests) == 3  # the first try and two retries, then the offline answer
    assert "二是4月5日已将中央隔离护栏赔付款8250元上交国库[1]" in result.output


def test_ask_survives_a_429_and_prints_the_cost_line(
    monkeypatch: pytest.MonkeyPatch, store_dir: Path
) -> None:
    replies = [
        error(429, "rate limited", {"retry-after": "0"}),
        sse("中央隔离护栏赔付款8250元", "已上交国库[1]。", usage=(900, 40)),
    ]
    with FakeOpenAIServer(replies) as server:
        _configure(monkeypatch, server.url)
        monkeypatch.setenv("AUDIT_PRICE_INPUT", "1.0")
        monkeypatch.setenv("AUDIT_PRICE_OUTPUT", "2.0")
        get_settings.cache_clear()
        result = runner.invoke(app, ["ask", QUESTION, "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "中央隔离护栏赔付款8250元已上交国库[1]。" in result.output
    assert "大模型调用失败" not in result.output
    assert (
        "大模型请求 1 次，缓存命中 0 次；输入 900 tokens，输出 40 tokens，费用约 $0.0010。" in result.output
    )
    assert "1 次重试（限流/服务端错误/超时）" in result.output
    assert len(server.requests) == 2 and all(r["stream"] is True for r in server.requests)
