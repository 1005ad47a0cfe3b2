"""A tiny OpenAI-compatible chat server for tests: stdlib http.server on 127.0.0.1, random port.

It replays recorded `/v1/chat/completions` responses (in the exact shape OpenAI returns), so
the real openai client and langchain-openai code paths run end to end: request payloads,
`response_format` / tools, status codes, Retry-After headers, timeouts.
"""

from __future__ import annotations

import copy
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

# A real chat.completion response as an OpenAI-compatible server returns it (ids shortened).
RECORDED_COMPLETION: dict[str, Any] = {
    "id": "chatcmpl-9x2AbC",
    "object": "chat.completion",
    "created": 1718000000,
    "model": "stub-model",
    "system_fingerprint": "fp_stub",
    "choices": [
        {
            "index": 0,
            "message": {"role": "assistant", "content": "", "refusal": None},
            "logprobs": None,
            "finish_reason": "stop",
        }
    ],
    "usage": {"prompt_tokens": 0, "completion_tokens": 0, "total_tokens": 0},
}


@dataclass
class Reply:
    status: int = 200
    body: dict[str, Any] | str | None = None
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds before answering (longer than the client timeout = a timeout)


def completion(
    content: str | dict[str, Any] | None = None,
    *,
    tool_args: dict[str, Any] | str | None = None,
    tool_name: str = "ExtractedRecord",
    prompt_tokens: int = 120,
    completion_tokens: int = 30,
) -> Reply:
    """A 200 reply: message content (a dict is JSON-encoded) or a tool call."""
    body = copy.deepcopy(RECORDED_COMPLETION)
    message = body["choices"][0]["message"]
    if tool_args is not None:
        args = tool_args if isinstance(tool_args, str) else json.dumps(tool_args, ensure_ascii=False)
        message["content"] = None
        message["tool_calls"] = [
            {"id": "call_1", "type": "function", "function": {"name": tool_name, "arguments": args}}
        ]
        body["choices"][0]["finish_reason"] = "tool_calls"
    else:
        message["content"] = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    body["usage"] = {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }
    return Reply(body=body)


def error(status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
    return Reply(
        status=status,
        body={"error": {"message": message, "type": "invalid_request_error", "code": None}},
        headers=headers or {},
    )


class FakeOpenAIServer:
    """Answers with `replies` in order, or with `route(request_body)` when given.

    Every request body is kept in `requests` for assertions.
    """

    def __init__(
        self,
        replies: list[Reply] | None = None,
        route: Callable[[dict[str, Any]], Reply] | None = None,
    ) -> None:
        self.replies = list(replies or [])
        self.route = route
        self.requests: list[dict[str, Any]] = []
        self.headers: list[dict[str, str]] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # quiet
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("content-length", 0))
                body = json.loads(self.rfile.read(length) or b"{}")
                reply = server._next(body, dict(self.headers))
                if reply.delay:
                    time.sleep(reply.delay)
                payload = (
                    reply.body if isinstance(reply.body, str) else json.dumps(reply.body, ensure_ascii=False)
                )
                data = (payload or "").encode("utf-8")
                try:
                    self.send_response(reply.status)
                    self.send_header("content-type", "application/json")
                    self.send_header("content-length", str(len(data)))
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (timeout test)

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(0.01,), daemon=True)

    def _next(self, body: dict[str, Any], headers: dict[str, str]) -> Reply:
        with self._lock:
            self.requests.append(body)
            self.headers.append(headers)
            if self.route is not None:
                return self.route(body)
            if not self.replies:
                return error(500, "fake server: no more recorded replies")
            return self.replies.pop(0)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def __enter__(self) -> FakeOpenAIServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def user_text(body: dict[str, Any]) -> str:
    """The first user message of a request."""
    return next(m["content"] for m in body["messages"] if m["role"] == "user")


def system_text(body: dict[str, Any]) -> str:
    return next(m["content"] for m in body["messages"] if m["role"] == "system")
