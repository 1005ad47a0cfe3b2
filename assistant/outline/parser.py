"""Build the heading tree of a notice, inferring each numbering style's level from this notice.

No fixed table says that `（一）` sits below `一、`: the first style met is level 1, a style
met for the first time nests under the heading that is open, and a style seen before
returns to its level. Two irregularities of real notices are handled on top of that:
a sibling written in another bracket style (`1)`, `(2)`, `3)` in 001; `（一）`, `（2）` in 004),
and `一是/二是` enumerations, which nest under whatever is open without fixing a level.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from assistant.errors import AuditError
from assistant.lexicon.fast import Gated
from assistant.lexicon.headings import CONTACT
from assistant.models import Outline, OutlineNode, SectionKind, Span
from assistant.outline.numbering import (
    BRACKETED_STYLES,
    INLINE_ITEM,
    INLINE_STYLES,
    Numbering,
    heading_title_end,
    read_numbering,
)
from assistant.outline.roles import has_label, is_closing, is_organisational


class OutlineError(AuditError, ValueError):
    """The text has no outline we can recognise."""


# A closing paragraph ("欢迎广大干部群众…监督") ends the last section: what follows is contact
# details and the signature, not part of any record. The lines that may begin one are found by one
# search of the text (a whole line, after its indentation); only those are then read as the parser cuts them.
# (tried only where the contact words are, behind the line's indentation: see `Gated`)
_CONTACT_WORDS = CONTACT.pattern.removeprefix("^")
_INDENT = "".join(c for c in map(chr, range(0x3001)) if c.isspace() and c != "\n")  # what [^\S\n] matches
_CONTACT_LINE = Gated(re.compile(rf"^[^\S\n]*(?:{_CONTACT_WORDS})", re.MULTILINE), _CONTACT_WORDS, _INDENT)


@dataclass
class _Open:
    numbering: Numbering
    level: int
    line_start: int
    title_span: Span
    body_start: int
    children: list[_Open] = field(default_factory=list)
    end: int = 0


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, line) for each line; a line holding inline items (`…：1-1，…。1-2，…`) is cut at each."""
    out, pos = [], 0
    for line in text.split("\n"):
        if "-" not in line and "－" not in line and "—" not in line and "–" not in line:
            out.append((pos, line))
            pos += len(line) + 1
            continue
        cuts = [0, *(m.end() for m in INLINE_ITEM.finditer(line)), len(line)]
        for a, b in itertools.pairwise(cuts):
            if b > a or a == 0:
                out.append((pos + a, line[a:b]))
        pos += len(line) + 1
    return out


def _content_end(text: str, lines: list[tuple[int, str]]) -> int:
    """Offset where contact details / signature begin (or the end of the text)."""
    candidates = {m.start() for m in _CONTACT_LINE.finditer(text)}  # a superset: whole lines
    if candidates:
        for start, line in lines:
            if start in candidates and CONTACT.match(line.strip()):
                return start
    return len(text.rstrip())


def parse_outline(text: str) -> Outline:
    """Parse the numbered headings of a normalised notice into a tree with kinds and spans."""
    lines = _lines(text)
    end_of_content = _content_end(text, lines)
    levels: dict[str, int] = {}  # style -> level, in order of appearance
    roots: list[_Open] = []
    stack: list[_Open] = []

    for line_start, raw_line in lines:
        if line_start >= end_of_content:
            break
        indent = len(raw_line) - len(raw_line.lstrip())
        line = raw_line.strip()
        numbering = read_numbering(line)
        if numbering is None:
            continue
        start = line_start + indent
        level = _level_for(numbering, levels, stack)
        if level is None:
            continue
        while stack and stack[-1].level >= level:
            stack.pop()
        title_end = heading_title_end(line, numbering.length)
        title_text = line[numbering.length : title_end]
        lead = len(title_text) - len(title_text.lstrip())
        title_span = Span(start=start + numbering.length + lead, end=start + title_end)
        t_end = title_span.end
        while t_end > title_span.start and text[t_end - 1] in "。 \t":
            t_end -= 1
        title_span = Span(start=title_span.start, end=t_end)
        node = _Open(numbering, level, start, title_span, body_start=start + title_end)
        (stack[-1].children if stack else roots).append(node)
        stack.append(node)

    if roots:
        end_of_content = _closing_paragraph(lines, _last_heading(roots), end_of_content)
    if not roots:
        raise OutlineError("未识别到通报的编号结构（如“一、”“（一）”“1.”），无法拆分整改记录。")

    _close(roots, end_of_content)
    styles = [s for s, _ in sorted(levels.items(), key=lambda kv: kv[1])]
    nodes = [_to_model(node, text) for node in roots]
    _assign_kinds(nodes, text)
    return Outline(styles=styles, nodes=nodes)


def _level_for(numbering: Numbering, levels: dict[str, int], stack: list[_Open]) -> int | None:
    style = numbering.style
    top = stack[-1].level if stack else 0
    if style in INLINE_STYLES:
        # nest under the innermost real heading, as a sibling of earlier 一是/二是 items
        real = [o for o in stack if o.numbering.style not in INLINE_STYLES]
        if not real:
            return None
        return real[-1].level + 1
    if style in levels:
        return levels[style]
    if numbering.number > 1 and style in BRACKETED_STYLES:
        # `(2)` after `1)`: a sibling written in another bracket style, not a new level
        for open_node in reversed(stack):
            prev = open_node.numbering
            if prev.style in BRACKETED_STYLES and prev.number == numbering.number - 1:
                return open_node.level
    if numbering.number > 3 and not stack:
        return None  # a stray "5." in running text before any heading
    real_top = max((o.level for o in stack if o.numbering.style not in INLINE_STYLES), default=0)
    level = (real_top if stack else top) + 1
    levels[style] = level
    return level


_CLOSING_PARAGRAPH = re.compile(r"^(?:下一步|下步|下阶段|接下来|今后|此外，今后)[，,：:]?")


def _last_heading(roots: list[_Open]) -> int:
    node = roots[-1]
    while node.children:
        node = node.children[-1]
    return node.body_start


def _closing_paragraph(lines: list[tuple[int, str]], after: int, end: int) -> int:
    """An unnumbered closing paragraph ("下一步，…将…") after the last heading ends the last section."""
    for start, line in lines:
        if after < start < end and _CLOSING_PARAGRAPH.match(line.strip()) and len(line.strip()) >= 30:
            return start
    return end


def _close(nodes: list[_Open], end: int) -> None:
    for i, node in enumerate(nodes):
        node.end = nodes[i + 1].line_start if i + 1 < len(nodes) else end
        _close(node.children, node.end)


def _to_model(node: _Open, text: str) -> OutlineNode:
    end = node.end
    while end > node.line_start and text[end - 1] in " \n\t":
        end -= 1
    return OutlineNode(
        label=node.numbering.label.strip(),
        style=node.numbering.style,
        level=node.level,
        title=node.title_span.slice(text),
        title_span=node.title_span,
        span=Span(start=node.line_start, end=max(end, node.title_span.end)),
        children=[_to_model(child, text) for child in node.children],
    )


def _assign_kinds(nodes: list[OutlineNode], text: str) -> None:
    """Top-level sections by their headings: closing, organisational (no labels under it) or records."""
    seen_records = False
    for node in nodes:
        if is_closing(node) and seen_records:
            kind = SectionKind.CLOSING
        elif is_organisational(node) and not has_label(node.span.slice(text)):
            kind = SectionKind.CLOSING if seen_records else SectionKind.ORGANISATIONAL
        else:
            kind = SectionKind.RECORDS
            seen_records = True
        for sub in node.walk():
            sub.kind = kind
