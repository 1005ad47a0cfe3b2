"""Chinese outline numbering styles and how to read a heading line.

The styles are recognised here; which level each one takes is decided per notice by
`assistant.outline.parser`, from the order in which the styles appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CN_DIGITS = "零一二三四五六七八九十"
CN_NUM = f"[{CN_DIGITS}]{{1,3}}"

# style key -> pattern matching the numbering at the start of a line (group "n" is the number)
STYLE_PATTERNS: dict[str, re.Pattern[str]] = {
    "cn_dun": re.compile(rf"^(?P<n>{CN_NUM})\s*[、，,]"),
    "paren_cn": re.compile(rf"^[（(]\s*(?P<n>{CN_NUM})\s*[）)]"),
    "arabic_dot": re.compile(r"^(?P<n>\d{1,3})\s*[.．](?!\d)"),
    "arabic_dun": re.compile(r"^(?P<n>\d{1,3})\s*、"),
    "paren_arabic": re.compile(r"^[（(]\s*(?P<n>\d{1,3})\s*[）)]"),
    "arabic_paren": re.compile(r"^(?P<n>\d{1,3})\s*[）)]"),
    "cn_shi": re.compile(rf"^(?P<n>{CN_NUM})是(?=[\u4e00-\u9fff“\"《(（0-9])"),
}

# Styles that are enumerations inside a block of text rather than headings of their own level:
# they nest under whatever heading is open and never fix a level for the notice.
INLINE_STYLES = frozenset({"cn_shi"})

BRACKETED_STYLES = frozenset({"paren_cn", "paren_arabic", "arabic_paren"})


def cn_to_int(text: str) -> int:
    """Chinese numerals up to 999 ("十二" → 12, "二十" → 20)."""
    values = {c: i for i, c in enumerate(CN_DIGITS)}
    total, current = 0, 0
    for ch in text:
        if ch == "十":
            total += (current or 1) * 10
            current = 0
        else:
            current = values[ch]
    return total + current


@dataclass(frozen=True)
class Numbering:
    style: str
    number: int
    label: str  # the numbering as written, e.g. "（一）"
    length: int  # characters the numbering takes at the start of the line

    @property
    def key(self) -> str:
        """A compact label for record ids: "一", "(一)", "1", "1)", "(2)"."""
        if self.style in {"paren_cn", "paren_arabic"}:
            inner = self.label.strip("（()） ")
            return f"({inner})"
        if self.style == "arabic_paren":
            return f"{self.number})"
        return self.label.rstrip("、，,.． ").rstrip("是") if self.style != "cn_shi" else self.label


def read_numbering(line: str) -> Numbering | None:
    """The numbering a line starts with, if any."""
    for style, pattern in STYLE_PATTERNS.items():
        m = pattern.match(line)
        if not m:
            continue
        raw = m.group("n")
        number = int(raw) if raw.isdigit() else cn_to_int(raw)
        if number == 0:
            continue
        return Numbering(style=style, number=number, label=m.group(0), length=m.end())
    return None


_QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」"}


def heading_title_end(line: str, start: int) -> int:
    """Where a heading's title ends within its line.

    Short lines are all title. Otherwise the title is the first sentence: up to the first
    "。" outside quotes, so `1.关于“…。…”问题。` keeps its quoted problem whole.
    """
    rest = line[start:]
    if len(rest) <= 60 and rest.count("。") <= 1 and not re.search(r"。.+", rest):
        return len(line)
    depth: list[str] = []
    for i, ch in enumerate(rest):
        if ch in _QUOTE_PAIRS:
            depth.append(_QUOTE_PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch == "。" and not depth:
            return start + i + 1
    return len(line)
