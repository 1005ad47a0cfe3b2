"""Source passages as safe HTML with the cited or decisive words wrapped in <mark>.

Every span is an offset into `Notice.text`; the passage shown is a window of that text
starting at `offset`, so marks are shifted and clipped to the window. The text is HTML-escaped
piece by piece (a notice may contain `<`, `&` or markdown characters), and newlines become
<br> so the whole passage is one raw HTML block that markdown leaves alone.
"""

from __future__ import annotations

import html
import itertools
from collections.abc import Iterable
from typing import NamedTuple

from assistant.models import Span

# how each kind of mark looks; the first kind listed wins where marks overlap
STYLES: dict[str, str] = {
    "flag": "background:#fecaca;color:#7f1d1d;border-radius:2px;padding:0 1px",
    "evidence": "background:#bbf7d0;color:#14532d;border-radius:2px;padding:0 1px",
    "quote": "background:#fde68a;color:#713f12;border-radius:2px;padding:0 1px",
    "status": "background:#bfdbfe;color:#1e3a8a;border-radius:2px;padding:0 1px",
    "problem": "background:transparent;color:inherit;font-weight:600;text-decoration:underline",
}
LEGEND: dict[str, str] = {
    "quote": "回答所依据的原文",
    "flag": "存疑判断所依据的词句",
    "evidence": "可核查的证据（数量、金额、日期、文件、人事处理、实物变化）",
    "status": "整改状态的原文",
    "problem": "问题",
}
BOX_STYLE = (
    "white-space:normal;line-height:1.8;padding:0.6rem 0.8rem;border-left:3px solid #cbd5e1;"
    "background:rgba(148,163,184,0.08);border-radius:4px;font-size:0.95rem"
)


class Mark(NamedTuple):
    start: int  # offset in Notice.text
    end: int
    kind: str = "quote"
    title: str | None = None  # tooltip, e.g. the evidence type


def marks_of(spans: Iterable[Span | None], kind: str, title: str | None = None) -> list[Mark]:
    return [Mark(s.start, s.end, kind, title) for s in spans if s is not None and s.end > s.start]


_MD_SPECIAL = str.maketrans({c: "\\" + c for c in "\\`*_{}[]<>#+-|~$:!"})


def md_escape(text: str | None) -> str:
    """Notice text inside st.markdown: no emphasis, links, formulas or colour directives by accident."""
    return (text or "").translate(_MD_SPECIAL)


_MD_ENTITIES = str.maketrans(
    {
        "$": "&#36;",
        "[": "&#91;",
        "]": "&#93;",
        "(": "&#40;",
        ")": "&#41;",
        "!": "&#33;",
        "*": "&#42;",
        "_": "&#95;",
        "`": "&#96;",
        "~": "&#126;",
        ":": "&#58;",
    }
)


def escape_html(text: str) -> str:
    """Text from a notice, a model or a reviewer as one inert block of HTML inside st.markdown."""
    # HTML-escaped, and markdown's own marks as entities too ($ formulas, [..](..) links, ![..](..) images,
    # :colour[..] directives): notice text can never become markup; newlines keep the passage one block
    return html.escape(text).translate(_MD_ENTITIES).replace("\n", "<br>")


def highlight_html(text: str, marks: Iterable[Mark], *, offset: int = 0) -> str:
    """`text` (a window of the notice starting at `offset`) as escaped HTML with marks applied."""
    priority = {kind: i for i, kind in enumerate(STYLES)}
    local = []
    for m in marks:
        start, end = max(0, m.start - offset), min(len(text), m.end - offset)
        if end > start:
            local.append(Mark(start, end, m.kind, m.title))
    if not local:
        return escape_html(text)
    bounds = sorted({0, len(text), *(m.start for m in local), *(m.end for m in local)})
    out: list[str] = []
    for a, b in itertools.pairwise(bounds):
        piece = escape_html(text[a:b])
        active = [m for m in local if m.start <= a and b <= m.end]
        if not active:
            out.append(piece)
            continue
        top = min(active, key=lambda m: priority.get(m.kind, len(priority)))
        style = STYLES.get(top.kind, STYLES["quote"])
        title = f' title="{html.escape(top.title, quote=True)}"' if top.title else ""
        out.append(f'<mark class="hl-{top.kind}" style="{style}"{title}>{piece}</mark>')
    return "".join(out)


def passage_box(inner_html: str, caption: str | None = None) -> str:
    """The highlighted passage in a quiet box, optionally with a caption line above it."""
    head = (
        f'<div style="font-size:0.8rem;opacity:0.7;margin-bottom:0.2rem">{escape_html(caption)}</div>'
        if caption
        else ""
    )
    return f'<div class="source-passage" style="{BOX_STYLE}">{head}{inner_html}</div>'


def legend_html(kinds: Iterable[str]) -> str:
    items = [f'<mark style="{STYLES[k]}">{html.escape(LEGEND[k])}</mark>' for k in kinds if k in STYLES]
    return '<div style="font-size:0.8rem;opacity:0.85">' + "　".join(items) + "</div>"
