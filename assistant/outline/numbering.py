"""Chinese outline numbering styles and how to read a heading line.

The styles are recognised here; which level each one takes is decided per notice by
`assistant.outline.parser`, from the order in which the styles appear.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from assistant.lexicon.labels import RECTIFICATION_LABEL, STATUS_LABEL
from assistant.lexicon.status import BRACKET_STATUS
from assistant.text.numerals import cn_number

CN_DIGITS = "零一二三四五六七八九十"
CN_NUM = f"[{CN_DIGITS}]{{1,3}}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"

# style key -> pattern matching the numbering at the start of a line (group "n" is the number)
STYLE_PATTERNS: dict[str, re.Pattern[str]] = {
    "cn_dun": re.compile(rf"^(?P<n>{CN_NUM})\s*[、，,]"),
    "paren_cn": re.compile(rf"^[（(]\s*(?P<n>{CN_NUM})\s*[）)]"),
    # "1-3，" "2-1、": items numbered within a group (1-N under group 1)
    "hyphen": re.compile(r"^(?P<g>\d+)\s*[-－—–]\s*(?P<n>\d+)\s*(?:[，,、.．:：]|\s)"),
    "arabic_dot": re.compile(r"^(?P<n>\d+)\s*[.．](?!\d)"),
    "arabic_dun": re.compile(r"^(?P<n>\d+)\s*、"),
    "paren_arabic": re.compile(r"^[（(]\s*(?P<n>\d+)\s*[）)]"),
    "arabic_paren": re.compile(r"^(?P<n>\d+)\s*[）)]"),
    # "问题1：" "问题2." "问题三：": problems numbered as such
    "wenti": re.compile(
        rf"^问题\s*(?:(?P<n>\d{{1,3}})\s*(?:[：:.．、，,]|\s|(?=[\u4e00-\u9fff]))|(?P<c>{CN_NUM})\s*[：:.．、，,])"
    ),
    "circled": re.compile(rf"^(?P<n>[{_CIRCLED}])"),
    "cn_shi": re.compile(rf"^(?P<n>{CN_NUM})是(?=[\u4e00-\u9fff“\"《(（0-9])"),
}

# Styles that are enumerations inside a block of text rather than headings of their own level:
# they nest under whatever heading is open and never fix a level for the notice.
INLINE_STYLES = frozenset({"cn_shi"})

BRACKETED_STYLES = frozenset({"paren_cn", "paren_arabic", "arabic_paren"})

# Items that may start in the middle of a paragraph ("…分别是：1-1，…。1-2，…"): the parser
# treats each as the start of a line of its own.
INLINE_ITEM = re.compile(r"(?<=[。；;：:])\s*(?=\d+\s*[-－—–]\s*\d+\s*[，,、.．:：])")


@dataclass(frozen=True)
class Numbering:
    style: str
    number: int
    label: str  # the numbering as written, e.g. "（一）"
    length: int  # characters the numbering takes at the start of the line
    group: int | None = None  # the group of a hyphenated item: 2 in "2-3"

    @property
    def key(self) -> str:
        """A compact label for record ids: "一", "(一)", "1", "1)", "(2)", "1-3", "问题2"."""
        if self.style in {"paren_cn", "paren_arabic"}:
            inner = self.label.strip("（()） ")
            return f"({inner})"
        if self.style == "arabic_paren":
            return f"{self.number})"
        if self.style == "hyphen":
            return f"{self.group}-{self.number}"
        if self.style == "wenti":
            return f"问题{self.number}"
        if self.style in {"cn_shi", "circled"}:
            return self.label
        return self.label.rstrip("、，,.．： ")


# The styles a line can be in, by its first character (every pattern starts with one of these), in
# the order of STYLE_PATTERNS: a line is tried against those alone.
_FIRST: dict[str, tuple[str, ...]] = {
    "digit": ("hyphen", "arabic_dot", "arabic_dun", "arabic_paren"),
    "paren": ("paren_cn", "paren_arabic"),
    "问": ("wenti",),
    "cn": ("cn_dun", "cn_shi"),
    "circled": ("circled",),
}
_STYLES_BY_FIRST: dict[str, list[tuple[str, re.Pattern[str]]]] = {}
for _chars, _kind in (
    ("0123456789", "digit"),
    ("（(", "paren"),
    ("问", "问"),
    (CN_DIGITS, "cn"),
    (_CIRCLED, "circled"),
):
    for _ch in _chars:
        _STYLES_BY_FIRST[_ch] = [(s, p) for s, p in STYLE_PATTERNS.items() if s in _FIRST[_kind]]


def read_numbering(line: str) -> Numbering | None:
    """The numbering a line starts with, if any."""
    if not line:
        return None
    styles = _STYLES_BY_FIRST.get(line[0])
    if styles is None:
        return None
    for style, pattern in styles:
        m = pattern.match(line)
        if not m:
            continue
        raw = m.group("n") or m.group("c") if style == "wenti" else m.group("n")
        number = _CIRCLED.index(raw) + 1 if style == "circled" else (cn_number(raw) or 0)
        if number == 0:
            continue
        group = int(m.group("g")) if style == "hyphen" else None
        label = m.group(0).rstrip()
        return Numbering(style=style, number=number, label=label, length=m.end(), group=group)
    return None


_QUOTE_PAIRS = {"“": "”", "‘": "’", "《": "》", "「": "」", "『": "』"}
_PROBLEM_END = re.compile(r"(?:的)?问题[。.]")
_MAX_PROBLEM = 200


def heading_title_end(line: str, start: int) -> int:
    """Where a heading's title ends within its line.

    A rectification or status label in the line ends the title before it. Otherwise short lines
    are all title, and a long one ends at its first "。" outside quotes — unless the problem runs on
    to a closing `…的问题。` within the same sentence run, before any `一是` list begins
    (`（2）关于台账管理混乱，资料缺失。部分项目无验收记录的问题。`).
    """
    rest = line[start:]
    label = _first_label(rest)
    limit = label if label is not None else len(rest)
    bracket = BRACKET_STATUS.search(rest[:limit])
    if bracket and bracket.start() > 0:
        limit = bracket.start()
    scope = rest[:limit]
    if label is None and len(scope) <= 60 and scope.count("。") <= 1 and not re.search(r"。.+", scope):
        return start + len(scope.rstrip())
    ends = _sentence_ends(scope)
    if not ends:
        return start + len(scope.rstrip())
    first = ends[0]
    listing = re.search(r"[一二三四五六七八九十]是", scope)
    for m in _PROBLEM_END.finditer(scope):
        end = m.end()
        if first < end <= _MAX_PROBLEM and (not listing or listing.start() >= end) and end in ends:
            return start + end
    return start + first


def _first_label(rest: str) -> int | None:
    found = [
        m.start("label") if m.group("label") else m.start("label2")
        for pattern in (RECTIFICATION_LABEL, STATUS_LABEL)
        if (m := pattern.search(rest))
    ]
    if not found:
        return None
    at = min(found)
    while at > 0 and rest[at - 1] in "【[［〖（( \t":
        at -= 1
    return at


_QUOTE_OR_STOP = re.compile("[“”‘’《》「」『』。]")


def _sentence_ends(text: str) -> list[int]:
    """Offsets just after each "。" outside quotes and book-title marks."""
    depth: list[str] = []
    out: list[int] = []
    for m in _QUOTE_OR_STOP.finditer(text):
        ch = m.group(0)
        if ch in _QUOTE_PAIRS:
            depth.append(_QUOTE_PAIRS[ch])
        elif depth and ch == depth[-1]:
            depth.pop()
        elif ch == "。" and not depth:
            out.append(m.end())
    return out
