"""The chat-model factory: one OpenAI-compatible endpoint from settings, or none (offline).

Callers never use the model bare: `make_caller` wraps it in the one LLMCaller (retries,
cache, usage) that extraction and QA share.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.providers.caller import LLMCaller


def make_chat_model(settings: Settings | None = None) -> BaseChatModel | None:
    """A langchain chat model for the configured endpoint, or None when running offline.

    Retries are left to our own loop (backoff, per-record errors), so the client's are off.
    """
    settings = settings or get_settings()
    if not settings.llm_configured:
        return None
    from langchain_openai import ChatOpenAI

    return ChatOpenAI(
        model=settings.model or "",
        base_url=settings.base_url,
        api_key=settings.api_key or "not-needed",  # local servers accept any key
        temperature=settings.temperature,
        timeout=settings.timeout,
        max_retries=0,
        stream_usage=True,  # a streamed answer reports its tokens too (the cost line)
    )


def make_caller(settings: Settings | None = None) -> LLMCaller | None:
    """The configured chat model inside an LLMCaller, or None when running offline."""
    settings = settings or get_settings()
    model = make_chat_model(settings)
    if model is None:
        return None
    from assistant.providers.caller import LLMCaller

    return LLMCaller(model, settings)
