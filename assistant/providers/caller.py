"""The one way the package calls a chat model: retried, cached, counted.

Extraction asks for validated structured output (`call`), QA for prose (`chat`, `stream`); all
three go through the same transport loop and the same usage counter, so a 429 is retried and
tokens are summed for the cost line wherever the model is called.

Structured calls, made safe for bulk runs over thousands of notices:

- The structured-output method follows the setting, falling back json_schema → function_calling
  → json_mode when the endpoint refuses one (llama.cpp's server rejects `json_schema`, some
  proxies take only tools), and the method that worked is remembered (in memory and in the
  cache folder) so later calls go straight to it. A chat model with no structured output at all
  (langchain's fake models) is asked for JSON in the prompt instead.
- 429 (honouring Retry-After), 5xx, timeouts and dropped connections are retried with
  exponential backoff (a stream only until its first words were shown); at most
  `settings.concurrency` requests are in flight at once.
- Output that is not valid JSON or does not validate is fed back to the model with the error,
  at most `settings.max_retries` times (langchain does not re-ask by itself).
- Every validated output is cached; token counts are summed for the cost line.
"""

from __future__ import annotations

import email.utils
import json
import random
import re
import threading
import time
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, TypeVar

import openai
from langchain_core.messages import AIMessage, BaseMessage, HumanMessage, SystemMessage
from pydantic import BaseModel, ValidationError

from assistant.errors import AuditError
from assistant.prompts import fill, load_prompt
from assistant.providers.cache import CacheEntry, CacheKey, ResponseCache
from assistant.settings import Settings, get_settings

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel
    from langchain_core.runnables import Runnable

T = TypeVar("T")
METHODS: tuple[str, ...] = ("json_schema", "function_calling", "json_mode")
PROMPT_ONLY = "prompt"  # the model class has no structured output: JSON asked for in the prompt
RETRYABLE = {"rate_limit", "server", "timeout", "connection"}
METHODS_MEMO = "structured_methods.json"
TRUNCATED = "输出因长度限制被截断（finish_reason=length），请精简后完整输出"

# langchain-openai warns when an endpoint refuses `json_schema`; we fall back on our own
warnings.filterwarnings("ignore", message="This model does not support OpenAI's structured output")

_KIND_ZH = {
    "rate_limit": "429 限流",
    "server": "服务端错误",
    "timeout": "请求超时",
    "connection": "连接失败",
    "fatal": "请求被拒绝",
}


def json_schema_of(model: type[BaseModel]) -> dict[str, Any]:
    """The model's JSON schema as a plain dict (title, description, properties, required).

    `with_structured_output` is given this dict rather than the class so that parsing errors
    come back as `parsing_error` beside the raw output, and validation — with its re-asks — is
    ours for every method alike.
    """
    return model.model_json_schema()


def message_text(content: Any) -> str:
    """Message content as text (some providers send a list of parts)."""
    if isinstance(content, str):
        return content
    parts = []
    for part in content or []:
        if isinstance(part, str):
            parts.append(part)
        elif isinstance(part, dict) and part.get("type") == "text":
            parts.append(str(part.get("text", "")))
    return "".join(parts)


def _tokens(message: BaseMessage) -> tuple[int, int]:
    usage = getattr(message, "usage_metadata", None) or {}
    return int(usage.get("input_tokens", 0)), int(usage.get("output_tokens", 0))


class LLMUsage(BaseModel):
    """What a run cost: requests, cache hits, tokens, and how often things went wrong."""

    calls: int = 0  # requests the endpoint answered
    cache_hits: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    retries: int = 0  # after 429 / 5xx / timeouts
    reasks: int = 0  # invalid output fed back to the model
    method_fallbacks: int = 0  # structured-output methods the endpoint refused
    failed_calls: int = 0
    fallback_records: int = 0  # records that fell back to the rules result
    dropped_values: int = 0  # LLM values not found in the source
    failed_judgements: int = 0
    failed_segments: int = 0  # sections the model could not segment (the rules' result stands)
    rejected_statuses: int = 0  # model statuses the notice's words do not support (rules kept)

    def add(self, other: LLMUsage) -> None:
        for name in type(self).model_fields:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def cost(self, settings: Settings) -> float | None:
        """USD at the configured prices; None when no price is set."""
        if not (settings.price_input_per_mtok or settings.price_output_per_mtok):
            return None
        return (
            self.input_tokens * settings.price_input_per_mtok
            + self.output_tokens * settings.price_output_per_mtok
        ) / 1_000_000

    def summary(self, settings: Settings) -> str:
        cost = self.cost(settings)
        cost_text = (
            f"费用约 ${cost:.4f}"
            if cost is not None
            else "费用未知（未设置 AUDIT_PRICE_INPUT / AUDIT_PRICE_OUTPUT）"
        )
        lines = [
            f"大模型请求 {self.calls} 次，缓存命中 {self.cache_hits} 次；"
            f"输入 {self.input_tokens:,} tokens，输出 {self.output_tokens:,} tokens，{cost_text}。",
        ]
        issues = [
            (self.retries, "次重试（限流/服务端错误/超时）"),
            (self.reasks, "次把校验错误反馈给模型重答"),
            (self.method_fallbacks, "次因接口不支持而换用其他结构化输出方式"),
            (self.dropped_values, "个值在原文中找不到，已丢弃"),
            (self.fallback_records, "条记录改用规则抽取结果"),
            (self.failed_judgements, "条记录的空泛判断失败"),
            (self.failed_segments, "段正文的大模型分段失败"),
            (self.rejected_statuses, "个大模型状态无原文依据、已保留规则判断"),
        ]
        shown = [f"{n} {text}" for n, text in issues if n]
        if shown:
            lines.append("；".join(shown) + "。")
        return "\n".join(lines)


class LLMCallError(AuditError):
    """A call that failed for good. `kind`: transport, output, refused or fatal."""

    def __init__(self, message: str, kind: str) -> None:
        super().__init__(message)
        self.kind = kind


class _Refused(Exception):
    """The endpoint rejected the structured-output method itself (400/422)."""


@dataclass
class CallResult:
    output: BaseModel
    method: str
    cached: bool


@dataclass
class _Attempt:
    method: str
    raw_text: str
    data: dict[str, Any] | None
    error: str | None
    input_tokens: int
    output_tokens: int


def classify_error(exc: BaseException) -> str:
    if isinstance(exc, openai.RateLimitError):
        return "rate_limit"
    if isinstance(exc, openai.APITimeoutError | TimeoutError):
        return "timeout"
    if isinstance(exc, openai.APIConnectionError):
        return "connection"
    if isinstance(exc, openai.APIStatusError):
        if exc.status_code >= 500:
            return "server"
        if exc.status_code in (400, 422):
            text = str(exc).lower()
            if "context" in text and ("length" in text or "window" in text or "exceed" in text):
                return "fatal"  # too long: another method would not help
            return "refused"
    return "fatal"


def retry_after_seconds(exc: BaseException) -> float | None:
    """Seconds the server asked us to wait (`retry-after-ms`, `retry-after` seconds or date)."""
    headers = getattr(getattr(exc, "response", None), "headers", None)
    if not headers:
        return None
    if (ms := headers.get("retry-after-ms")) is not None:
        try:
            return max(0.0, float(ms) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _raw_text(message: BaseMessage) -> str:
    """What the model actually said: the tool-call arguments, or the message text."""
    tool_calls = getattr(message, "tool_calls", None)
    if tool_calls:
        return json.dumps(tool_calls[0].get("args", {}), ensure_ascii=False)
    invalid = getattr(message, "invalid_tool_calls", None)
    if invalid:
        return str(invalid[0].get("args") or "")
    return message_text(message.content)


def parse_json_object(text: str) -> dict[str, Any]:
    """The JSON object in a model's text answer (code fences and chatter around it tolerated)."""
    body = text.strip()
    fenced = re.search(r"```(?:json)?\s*(.*?)```", body, re.S)
    if fenced:
        body = fenced.group(1)
    start, end = body.find("{"), body.rfind("}")
    if start < 0 or end < start:
        raise ValueError("输出中没有 JSON 对象")
    data = json.loads(body[start : end + 1])
    if not isinstance(data, dict):
        raise ValueError("输出的 JSON 不是对象")
    return data


def validation_message(exc: ValidationError, limit: int = 6) -> str:
    parts = []
    for err in exc.errors()[:limit]:
        loc = ".".join(str(p) for p in err["loc"]) or "(整体)"
        got = err.get("input")
        shown = (
            json.dumps(got, ensure_ascii=False)[:60] if got is not None and not isinstance(got, dict) else ""
        )
        parts.append(f"字段 {loc}：{err['msg']}" + (f"（收到 {shown}）" if shown else ""))
    return "；".join(parts)


def _short(exc: BaseException, limit: int = 200) -> str:
    text = str(exc) or type(exc).__name__
    return text if len(text) <= limit else text[:limit] + "…"


def model_name_of(chat_model: BaseChatModel, settings: Settings) -> str:
    return settings.model or getattr(chat_model, "model_name", None) or type(chat_model).__name__


class LLMCaller:
    """Calls one chat model for a whole run (thread-safe): structured calls, prose, streams."""

    def __init__(
        self,
        chat_model: BaseChatModel,
        settings: Settings,
        *,
        sleep: Callable[[float], None] = time.sleep,
        backoff_base: float = 1.0,
        backoff_max: float = 60.0,
    ) -> None:
        self.model = chat_model
        self.settings = settings
        self.model_name = model_name_of(chat_model, settings)
        self.max_retries = max(0, settings.max_retries)
        self.sleep = sleep
        self.backoff_base = backoff_base
        self.backoff_max = backoff_max
        self.cache = ResponseCache(settings.cache_dir / "llm")
        self.usage = LLMUsage()
        self.endpoint = f"{settings.base_url or 'default'}|{self.model_name}"
        self._slots = threading.BoundedSemaphore(max(1, settings.concurrency))
        self._lock = threading.Lock()
        self._runnables: dict[tuple[str, str], Runnable | None] = {}
        remembered = self.cache.read_json(METHODS_MEMO).get(self.endpoint)
        self.accepted: str | None = remembered if isinstance(remembered, str) else None
        self._reask = load_prompt("reask")
        self._json_hint = load_prompt("json_output")

    # -- bookkeeping -------------------------------------------------------------------------
    def count(self, **deltas: int) -> None:
        with self._lock:
            for name, delta in deltas.items():
                setattr(self.usage, name, getattr(self.usage, name) + delta)

    def methods(self) -> list[str]:
        """Methods to try, in order: the remembered one first, else from the configured one."""
        configured = self.settings.structured_method
        chain = list(METHODS if configured == "auto" else METHODS[METHODS.index(configured) :])
        if self.accepted == PROMPT_ONLY:
            return [PROMPT_ONLY]
        if self.accepted in chain:
            return chain[chain.index(self.accepted) :]
        return chain

    def _remember(self, method: str) -> None:
        with self._lock:
            if self.accepted == method:
                return
            self.accepted = method
            memo = self.cache.read_json(METHODS_MEMO)
            memo[self.endpoint] = method
            self.cache.write_json(METHODS_MEMO, memo)

    def _runnable(self, schema: type[BaseModel], method: str) -> Runnable | None:
        key = (schema.__name__, method)
        with self._lock:
            if key not in self._runnables:
                try:
                    self._runnables[key] = self.model.with_structured_output(
                        json_schema_of(schema), method=method, include_raw=True
                    )
                except NotImplementedError:
                    self._runnables[key] = None
            return self._runnables[key]

    def _backoff(self, attempt: int, exc: BaseException) -> float:
        asked = retry_after_seconds(exc) if isinstance(exc, openai.RateLimitError) else None
        if asked is not None:
            return min(asked, self.backoff_max)
        delay = min(self.backoff_max, self.backoff_base * 2**attempt)
        return delay * (0.5 + random.random() / 2)

    # -- calls -------------------------------------------------------------------------------
    def call(
        self, schema: type[BaseModel], system: str, user: str, key: CacheKey | None = None
    ) -> CallResult:
        """A validated `schema` instance for the messages, from the cache when it has one."""
        if key is not None and (entry := self.cache.get(key)) is not None:
            try:
                output = schema.model_validate(entry.output)
            except ValidationError:
                pass  # the schema changed since: ask again
            else:
                self.count(cache_hits=1)
                return CallResult(output=output, method=entry.method, cached=True)
        messages: list[BaseMessage] = [SystemMessage(content=system), HumanMessage(content=user)]
        reasks = 0
        while True:
            attempt = self._attempt(schema, messages)
            error = attempt.error
            if error is None:
                try:
                    output = schema.model_validate(attempt.data)
                except ValidationError as exc:
                    error = validation_message(exc)
                else:
                    if key is not None:
                        self.cache.put(
                            CacheEntry(
                                key=key,
                                output=output.model_dump(mode="json"),
                                method=attempt.method,
                                input_tokens=attempt.input_tokens,
                                output_tokens=attempt.output_tokens,
                            )
                        )
                    return CallResult(output=output, method=attempt.method, cached=False)
            if reasks >= self.max_retries:
                self.count(failed_calls=1)
                raise LLMCallError(f"模型输出{reasks + 1}次均未通过校验：{error}", kind="output")
            reasks += 1
            self.count(reasks=1)
            messages = [
                *messages,
                AIMessage(content=attempt.raw_text or "（空）"),
                HumanMessage(content=fill(self._reask.text, error=error)),
            ]

    def _attempt(self, schema: type[BaseModel], messages: list[BaseMessage]) -> _Attempt:
        refusals: list[str] = []
        for method in self.methods():
            try:
                attempt = self._invoke(schema, method, messages)
            except _Refused as exc:
                refusals.append(f"{method}：{exc}")
                self.count(method_fallbacks=1)
                continue
            self._remember(attempt.method)
            return attempt
        self.count(failed_calls=1)
        raise LLMCallError("接口不接受任何结构化输出方式（" + "；".join(refusals) + "）", kind="refused")

    def _invoke(self, schema: type[BaseModel], method: str, messages: list[BaseMessage]) -> _Attempt:
        runnable = None if method == PROMPT_ONLY else self._runnable(schema, method)
        used = method if runnable is not None else PROMPT_ONLY
        if used in ("json_mode", PROMPT_ONLY):
            hint = fill(self._json_hint.text, schema=json.dumps(json_schema_of(schema), ensure_ascii=False))
            first = messages[0]
            messages = [SystemMessage(content=f"{first.content}\n\n{hint}"), *messages[1:]]

        def request() -> tuple[BaseMessage, Any, Any]:
            if runnable is None:
                return self.model.invoke(messages), None, None
            result = runnable.invoke(messages)
            return result["raw"], result["parsed"], result["parsing_error"]

        try:
            # a 400 on a method never seen working: the endpoint refuses the method
            raw, parsed, parse_error = self._send(request, refusable=used not in (PROMPT_ONLY, self.accepted))
        except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError) as exc:
            return self._cut_off(used, exc)  # an answer, just not a usable one: re-ask
        tokens_in, tokens_out = _tokens(raw)
        self.count(calls=1, input_tokens=tokens_in, output_tokens=tokens_out)
        raw_text = _raw_text(raw)
        data: dict[str, Any] | None = None
        error: str | None = None
        truncated = (getattr(raw, "response_metadata", None) or {}).get("finish_reason") == "length"
        if truncated:
            # langchain parses truncated JSON leniently; a cut-off record must not pass as whole
            error = TRUNCATED
        elif runnable is None:
            try:
                data = parse_json_object(raw_text)
            except ValueError as exc:
                error = f"输出不是有效的 JSON 对象：{_short(exc)}"
        elif parse_error is not None:
            error = f"输出不是有效的 JSON：{_short(parse_error)}"
        elif not isinstance(parsed, dict):
            error = "没有返回结构化结果（缺少 JSON 对象或工具调用）"
        else:
            data = parsed
        return _Attempt(used, raw_text, data, error, tokens_in, tokens_out)

    # -- transport ---------------------------------------------------------------------------
    def _retry_or_raise(self, exc: Exception, retry: int, *, refusable: bool = False) -> None:
        """Wait before the next try of a retryable failure, else raise it as an LLMCallError."""
        kind = classify_error(exc)
        if kind == "refused" and refusable:
            raise _Refused(_short(exc)) from exc
        if kind in RETRYABLE and retry < self.max_retries:
            self.count(retries=1)
            self.sleep(self._backoff(retry, exc))
            return
        self.count(failed_calls=1)
        tried = f"，已重试{retry}次" if retry else ""
        raise LLMCallError(
            f"调用大模型失败（{_KIND_ZH.get(kind, kind)}{tried}）：{_short(exc)}",
            kind="transport" if kind in RETRYABLE else "fatal",
        ) from exc

    def _send(self, request: Callable[[], T], *, refusable: bool = False) -> T:
        """One request, retried after 429 / 5xx / timeouts, within the concurrency limit."""
        retry = 0
        while True:
            try:
                with self._slots:
                    return request()
            except (openai.LengthFinishReasonError, openai.ContentFilterFinishReasonError):
                raise
            except Exception as exc:
                self._retry_or_raise(exc, retry, refusable=refusable)
                retry += 1

    def chat(self, messages: Sequence[BaseMessage]) -> str:
        """The model's text answer to the messages."""
        message = self._send(lambda: self.model.invoke(list(messages)))
        tokens_in, tokens_out = _tokens(message)
        self.count(calls=1, input_tokens=tokens_in, output_tokens=tokens_out)
        return message_text(message.content)

    def stream(self, messages: Sequence[BaseMessage]) -> Iterator[str]:
        """Text deltas as the model writes them. A failure before the first delta is retried like
        any call; after it, the words already shown cannot be taken back, so it is raised."""
        retry = 0
        while True:
            shown = False
            tokens_in = tokens_out = 0
            try:
                with self._slots:
                    for chunk in self.model.stream(list(messages)):
                        chunk_in, chunk_out = _tokens(chunk)
                        tokens_in, tokens_out = tokens_in + chunk_in, tokens_out + chunk_out
                        delta = message_text(chunk.content)
                        if delta:
                            shown = True
                            yield delta
            except Exception as exc:
                if shown:
                    self.count(failed_calls=1)
                    raise LLMCallError(f"大模型回答中断：{_short(exc)}", kind="transport") from exc
                self._retry_or_raise(exc, retry)
                retry += 1
                continue
            self.count(calls=1, input_tokens=tokens_in, output_tokens=tokens_out)
            return

    def _cut_off(self, used: str, exc: openai.OpenAIError) -> _Attempt:
        """The openai client refused to parse a cut-off or filtered answer; keep what it said."""
        completion = getattr(exc, "completion", None)
        usage = getattr(completion, "usage", None)
        tokens_in = int(getattr(usage, "prompt_tokens", 0) or 0)
        tokens_out = int(getattr(usage, "completion_tokens", 0) or 0)
        self.count(calls=1, input_tokens=tokens_in, output_tokens=tokens_out)
        try:
            raw_text = completion.choices[0].message.content or ""  # type: ignore[union-attr]
        except (AttributeError, IndexError):
            raw_text = ""
        if isinstance(exc, openai.LengthFinishReasonError):
            error = TRUNCATED
        else:
            error = "输出被内容过滤拦截（finish_reason=content_filter）"
        return _Attempt(used, raw_text, None, error, tokens_in, tokens_out)


def as_caller(llm: BaseChatModel | LLMCaller, settings: Settings | None = None) -> LLMCaller:
    """A caller for a bare chat model (a caller is passed through, its usage kept)."""
    return llm if isinstance(llm, LLMCaller) else LLMCaller(llm, settings or get_settings())


__all__ = [
    "METHODS",
    "PROMPT_ONLY",
    "CallResult",
    "LLMCallError",
    "LLMCaller",
    "LLMUsage",
    "as_caller",
    "classify_error",
    "json_schema_of",
    "message_text",
    "parse_json_object",
    "retry_after_seconds",
    "validation_message",
]
