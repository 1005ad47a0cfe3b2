"""The problem as stated: numbering already gone, `关于“…”问题` / `针对…问题` wrappers stripped."""

from __future__ import annotations

import re

from assistant.models import Span

_WRAPPERS = (
    re.compile(r"^关于\s*[“\"「](?P<p>.+)[”\"」]\s*(?:的)?问题[。.]?$"),
    re.compile(r"^关于(?P<p>.+?)(?:的)?问题[。.]?$"),
    re.compile(r"^针对(?P<p>.+)问题[。.]?$"),
)
_CATEGORY_PREFIX = re.compile(r"^(?:反馈问题|问题|方面)\s*[:：]\s*")


def strip_problem(title: str, span: Span) -> tuple[str, Span]:
    """Strip wrappers from a heading title, keeping the span on the words that remain."""
    for pattern in _WRAPPERS:
        m = pattern.match(title)
        if m:
            start, end = m.start("p"), m.end("p")
            inner = title[start:end]
            trimmed = inner.rstrip("。. ")
            end = start + len(trimmed)
            return trimmed, Span(start=span.start + start, end=span.start + end)
    return title, span


def strip_category(title: str) -> str:
    return _CATEGORY_PREFIX.sub("", title).rstrip("。. ")
