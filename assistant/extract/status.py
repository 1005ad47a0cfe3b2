"""Status of a record from its own words (DESIGN.md, "Status rules").

An explicit status line wins; then a heading that declares its items completed; then what
the text asserts: resolved, partly done with work pending, only pending, or nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.models import Span, Status

EXPLICIT_RE = re.compile(r"整改(?:结果|状态|进度)\s*[:：]\s*(?P<s>阶段性完成|基本完成|已完成|完成|推进中|持续整改|未完成|正在整改)")
HEADING_DONE_RE = re.compile(r"已完成的整改|已完成整改的|整改完成的")
PARTIAL_RE = re.compile(
    r"阶段性完成|阶段性成果|基本完成|持续整改|正在推进|推进中|正在办理|正在做|正在申报|正在进行|待[^，。；]{1,20}后|"
    r"等待[^，。；]{1,20}后|等[^，。；]{1,12}下来|计划于[^，。；]{1,20}前|拟[^，。；]{0,10}(?:于|在)|尚未|仍在|持续推进中|"
    r"\d{4}年(?:拟|计划)|开始建设|正在建设|逐步推进"
)
DONE_RE = re.compile(
    r"已完成整改|已整改到位|整改到位|问题已解决|已全部[^，。；]{0,6}到位|已[^，。；]{0,6}追缴到位|全部得到(?:有效)?处理|"
    r"已得到根本解决|已全部整改"
)
_EXPLICIT_MAP = {
    "完成": Status.COMPLETED,
    "已完成": Status.COMPLETED,
    "阶段性完成": Status.PARTIAL,
    "基本完成": Status.PARTIAL,
    "持续整改": Status.PARTIAL,
    "推进中": Status.IN_PROGRESS,
    "正在整改": Status.IN_PROGRESS,
    "未完成": Status.IN_PROGRESS,
}


@dataclass(frozen=True)
class StatusReading:
    status: Status
    text: str | None = None
    span: Span | None = None


def read_status(text: str, offset: int, headings: list[str]) -> StatusReading:
    """Status of the record whose text (measures and status line) starts at `offset`."""
    m = EXPLICIT_RE.search(text)
    if m:
        return StatusReading(
            _EXPLICIT_MAP[m.group("s")], m.group(0), Span(start=offset + m.start(), end=offset + m.end())
        )
    partial = PARTIAL_RE.search(text)
    done = DONE_RE.search(text)
    if any(HEADING_DONE_RE.search(h) for h in headings) and not partial:
        heading = next(h for h in headings if HEADING_DONE_RE.search(h))
        return StatusReading(Status.COMPLETED, heading)
    if partial:
        span = Span(start=offset + partial.start(), end=offset + partial.end())
        return StatusReading(Status.PARTIAL, partial.group(0), span)
    if done:
        return StatusReading(
            Status.COMPLETED, done.group(0), Span(start=offset + done.start(), end=offset + done.end())
        )
    return StatusReading(Status.UNSTATED)
