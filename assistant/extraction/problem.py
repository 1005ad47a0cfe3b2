"""The problem as stated: numbering already gone, `关于“…”问题` / `针对…问题` / `…的问题` wrappers stripped.

A quoted heading that holds its own explanation (`关于“标题。说明”问题`) gives the headline as the
problem; the explanation is kept apart as the problem's detail.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon.status import BRACKET_STATUS
from assistant.models import Span

_WRAPPERS = (
    re.compile(
        r"^(?:关于|针对)\s*[“\"「『](?P<p>.+)[”\"」』]\s*(?:的)?(?:问题|方面)?(?:的)?(?:整改|落实)?(?:落实|推进)?(?:情况|进展|进展情况|成效)?[。.]?$"
    ),
    re.compile(r"^关于(?P<p>.+?)(?:的)?问题(?:的)?(?:整改|落实)?(?:情况|进展|进展情况)?[。.]?$"),
    re.compile(r"^针对(?P<p>.+?)(?:的)?问题[。.]?$"),
    re.compile(r"^[“\"「『](?P<p>.+)[”\"」』](?:的)?问题(?:的)?(?:整改|落实)?(?:情况|进展)?[。.]?$"),
    re.compile(r"^(?P<p>.+?)的问题[。.]?$"),
)
_CATEGORY_PREFIX = re.compile(r"^(?:反馈问题|问题|方面)\s*[:：]\s*")
_CATEGORY_WRAPPER = re.compile(r"^关于\s*[“\"「『]?(?P<c>.+?)[”\"」』]?\s*方面(?:的?问题)?$")
_TRIM = "。.，,；; \t"


@dataclass(frozen=True)
class Problem:
    text: str
    span: Span
    detail: str | None = None
    detail_span: Span | None = None


def read_problem(title: str, span: Span) -> Problem:
    """The problem in a heading title, with its span, and the explanation of a quoted headline."""
    start, end = 0, len(title)
    mark = BRACKET_STATUS.search(title)
    if mark and mark.end() >= len(title.rstrip(_TRIM)) - 1:
        end = mark.start()  # "…问题（已完成整改）": the mark is the status, not the problem
    core = title[start:end].rstrip(_TRIM)
    for pattern in _WRAPPERS:
        m = pattern.match(core)
        if m:
            start, end = m.start("p"), m.end("p")
            break
    else:
        end = start + len(core)
    inner = title[start:end]
    detail = None
    detail_span = None
    cut = inner.find("。")
    if cut > 0 and title[start - 1 : start] in '“"「『' and cut < len(inner) - 1:
        d_start = start + cut + 1
        detail = inner[cut + 1 :].strip(_TRIM) or None
        if detail:
            detail_span = Span(
                start=span.start + d_start, end=span.start + d_start + len(inner[cut + 1 :].rstrip(_TRIM))
            )
        end = start + cut
    text = title[start:end].strip(_TRIM)
    lead = len(title[start:end]) - len(title[start:end].lstrip(_TRIM))
    start += lead
    return Problem(
        text, Span(start=span.start + start, end=span.start + start + len(text)), detail, detail_span
    )


_AREA_SUFFIX = re.compile(r"(?<=.{2})方面(?:的问题|存在的问题|问题)?$")


def strip_category(title: str) -> str:
    """An area heading without its numbering, `反馈问题：` prefix or `关于…方面` wrapper."""
    title = _CATEGORY_PREFIX.sub("", title).rstrip(_TRIM)
    m = _CATEGORY_WRAPPER.match(title)
    return m.group("c") if m else _AREA_SUFFIX.sub("", title)
