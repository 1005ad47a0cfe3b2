"""The chat-model factory against a local OpenAI-compatible server: offline → None, settings honoured."""

from __future__ import annotations

import openai
import pytest
from fake_openai import FakeOpenAIServer, completion, error

from assistant.providers.llm import make_chat_model
from assistant.settings import Settings


def test_offline_without_a_model() -> None:
    assert make_chat_model(Settings(model=None, base_url=None, api_key=None)) is None
    assert make_chat_model(Settings(model=None, base_url="http://127.0.0.1:9/v1")) is None


def test_settings_reach_the_endpoint() -> None:
    with FakeOpenAIServer([completion("你好")]) as server:
        model = make_chat_model(
            Settings(base_url=server.url, api_key="sk-local", model="qwen2.5-7b-instruct", temperature=0.3)
        )
        assert model is not None
        reply = model.invoke("测试")
    assert reply.content == "你好"
    assert reply.usage_metadata is not None and reply.usage_metadata["input_tokens"] == 120
    (request,) = server.requests
    assert request["model"] == "qwen2.5-7b-instruct" and request["temperature"] == 0.3
    assert request["messages"] == [{"role": "user", "content": "测试"}]
    assert server.headers[0]["Authorization"] == "Bearer sk-local"


def test_a_local_server_needs_no_key() -> None:
    with FakeOpenAIServer([completion("ok")]) as server:
        model = make_chat_model(Settings(base_url=server.url, api_key=None, model="llama"))
        assert model is not None
        model.invoke("x")
    assert server.headers[0]["Authorization"] == "Bearer not-needed"


def test_client_does_not_retry_on_its_own() -> None:
    """Retries belong to our loop (backoff, Retry-After, per-record errors), not the client's."""
    with FakeOpenAIServer([error(500, "boom"), completion("late")]) as server:
        model = make_chat_model(Settings(base_url=server.url, api_key="k", model="m"))
        assert model is not None
        with pytest.raises(openai.InternalServerError):
            model.invoke("x")
    assert len(server.requests) == 1


def test_timeout_is_the_configured_one() -> None:
    slow = completion("slow")
    slow.delay = 1.0
    with FakeOpenAIServer([slow]) as server:
        model = make_chat_model(Settings(base_url=server.url, api_key="k", model="m", timeout=0.1))
        assert model is not None
        with pytest.raises(openai.APITimeoutError):
            model.invoke("x")
