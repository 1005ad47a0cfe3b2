"""One canonical text per notice, with an exact map back to the original.

Every later stage (outline, records, evidence, citations) works on the normalised text, and
every span it produces must be showable in the file the user gave us — hence the offset map:
`offsets[i]` is the index in the original of normalised character `i`, plus one trailing
entry, `len(original)`, for the end. Nothing is ever inserted: each output character is an
original character, possibly replaced by its width or space variant, so a span can always be
mapped back and a quote checked against the source.

The rules aim at two things: parsing should not depend on how the notice was typed or saved
(full-width digits, mixed `,`/`，`, CRLF, indentation, hard line breaks inside words), and the
same notice saved as .txt, .docx or .html must normalise to the same text (and so the same id).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

from assistant.lexicon.fast import holds, lead
from assistant.models import OffsetMap

IDEO = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
"""CJK ideographs (the characters words are made of)."""

_CJK_BEFORE = f"{IDEO}》」』）)】〕”’"  # may precede a half-width , : ; that becomes full-width
_CJK_AFTER = f"{IDEO}《「『（【〔“‘0-9"  # may follow it

# 1:1 replacements: full-width digits and Latin letters, exotic spaces, tabs.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_WIDTH.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_SPACES = "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000"
_TRANSLATE: dict[int, int | str] = {**_WIDTH, **{ord(c): " " for c in _SPACES}, 0x0B: "\n", 0x0C: "\n"}
_TRANSLATE.update({0x2028: "\n", 0x2029: "\n", 0x85: "\n"})
# the characters _TRANSLATE changes, found by one scan (str.translate looks up every character of a
# Chinese text in the table, which is slower than finding the few that change)
_TRANSLATED = re.compile("[" + "".join(re.escape(chr(c)) for c in sorted(_TRANSLATE)) + "]")
_ONE_TO_ONE = {chr(k): v if isinstance(v, str) else chr(v) for k, v in _TRANSLATE.items()}

_JUNK = "\r" + "".join(
    map(chr, [*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F, 0xAD, 0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF])
)
_NEWLINE_OR_JUNK = re.compile(f"[{re.escape(_JUNK)}](?:(?<=\r)\n)?")
_BOOKMARK = re.compile(r"\[bookmark:[^\]\n]*\]", re.IGNORECASE)
_CJK_PUNCT = "，。；：、！？（）《》「」『』“”‘’【】〔〕…—·"
_CJKP = IDEO + _CJK_PUNCT
# Spaces between Chinese characters are typesetting ("通    报", "名 称"), and full-width
# punctuation carries its own spacing ("巡察， 2022年"); neither survives a format change intact.
_CJK_SPACE = re.compile(f"(?<=[{_CJKP}]) +(?=[{_CJKP}])|(?<=[，。；：、！？]) +")
_HALF_PUNCT = re.compile(f"(?<=[{_CJK_BEFORE}])[,:;](?=[{_CJK_AFTER}]|$)|(?<=[0-9%])[,:;](?=[{IDEO}《“])")
_FULL = {",": "，", ":": "：", ";": "；"}

_CN_NUM = "一二三四五六七八九十百零〇"
NUMBERING = re.compile(
    rf"^(?:[{_CN_NUM}]+[、，,.．]"
    rf"|[（(][{_CN_NUM}\d]{{1,4}}[）)]"
    r"|\d+(?:[.．](?!\d)|[、)）])"
    rf"|[{_CN_NUM}]+是"
    rf"|第[{_CN_NUM}\d]+[、，,是条项])"
)
"""Outline numbering at the start of a line (一、 （一） (一) 1. 1、 （1） 1) 一是 第一条 …)."""

_LABEL = re.compile(f"^[{IDEO}]{{2,8}}[:：]")  # "整改情况：", "反馈问题:" start a new line
_SENTENCE_PUNCT = re.compile(r"[，。；：！？,;:!?]")
_JOIN_AFTER = re.compile(f"[{IDEO}，、]$")  # (tried at a line's last character only)
_JOIN_BEFORE = re.compile(f"^[{IDEO}“《]")

_CRUMB_ARROWS = re.compile(r"[>＞»›]")
_CRUMB_START = re.compile(r"^(?:首页|主页|网站首页|当前位置|您的位置|您现在的位置|所在位置)")
_PAGE_TOOLS = re.compile(
    r"^(?:[【\[［]?(?:关闭本页|打印本页|关闭窗口|打印此页|打印正文|打印文章|打印|关闭|返回顶部|收藏本页|"
    r"加入收藏|分享到|字号[:：]?(?:\s*[大中小])*)[】\]］]?[\s|｜/·]*)+$"
)

_TITLE_END = re.compile(r"(?:通报|报告|公告|决定|方案)$")
_INFO_LABEL = re.compile(f"^[-•·*\\s]*[{IDEO}]{{2,8}}[:：]\\s*")

TITLE_MAX = 30
"""A line this short with no sentence punctuation is a title or signature, never a broken sentence."""


Gone = list[tuple[int, int]]
"""The half-open ranges of a text's characters that a step removed, in order."""


def normalise(original: str) -> tuple[str, OffsetMap]:
    """The canonical text of `original` and the map from its characters back to `original`."""
    # one character for one: offsets are still the identity
    text = to_simplified(_TRANSLATED.sub(lambda m: _ONE_TO_ONE[m.group(0)], original))
    offsets = np.arange(len(text), dtype=np.int64)
    # (each step only where one of the characters every match holds is in the text)
    for pattern, repl, marks in (
        (_NEWLINE_OR_JUNK, lambda m: "\n" if m.group(0)[0] == "\r" else "", _JUNK),
        (_BOOKMARK, lambda m: "", "["),
        (PINYIN, lambda m: "", _TONED),
    ):
        if not holds(text, marks):
            continue
        length = len(text)
        text, gone = _rewrite(text, pattern, repl)
        if gone:
            offsets = offsets[_kept(length, gone)]

    # each line cleaned on its own; what it removes is collected over the whole text and applied as one
    # mask, so a line costs no array operation
    newlines = [m.start() for m in re.finditer("\n", text)]
    lines: list[tuple[str, int | None]] = []
    removed: Gone = []
    start = 0
    for end in [*newlines, len(text)]:
        line, gone = _clean_line(text[start:end])
        for a, b in gone:
            removed.append((start + a, start + b))
        lines.append((line, end if end < len(text) else None))
        start = end + 1
    out_text, kept_newlines = _join_lines(lines)
    keep = _kept(len(text), removed)
    keep[newlines] = False
    keep[kept_newlines] = True
    offsets = offsets[keep]
    return out_text, OffsetMap.from_array(np.concatenate((offsets, [len(original)])))


def _kept(length: int, gone: Gone) -> np.ndarray:
    keep = np.ones(length, dtype=bool)
    for a, b in gone:
        keep[a:b] = False
    return keep


# A pinyin annotation after a character: 担(dān)当, 绾（wǎn）.
# (led by its bracket: the lookbehind is then tried only before a bracket, not at every character)
_TONED = "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ"  # a pinyin syllable with its tone marked
PINYIN = lead(re.compile(f"(?<=[{IDEO}])[(（](?=[a-zü]*[{_TONED}])[a-z{_TONED}ü]{{1,8}}[)）]"))


@lru_cache(maxsize=1)
def _converter():
    import opencc

    return opencc.OpenCC("t2s")


def to_simplified(text: str) -> str:
    """Traditional script read as simplified, character for character, so every offset still holds.

    OpenCC converts phrase by phrase; where that changes a line's length the line is converted one
    character at a time instead (a character whose conversion is not one character is kept).
    """
    convert = _converter().convert
    whole = convert(text)
    if whole == text:
        return text
    if len(whole) == len(text):
        return whole
    out = []
    for line in text.split("\n"):
        converted = convert(line)
        if len(converted) != len(line):
            converted = "".join(c if len(c := convert(ch)) == 1 else ch for ch in line)
        out.append(converted)
    return "\n".join(out)


def shown_text(text: str, original: str, offsets: Sequence[int]) -> str:
    """The normalised text in the original's script, for showing: same length and offsets as `text`.

    A character that normalisation changed only by script (traditional → simplified) is shown as
    the notice wrote it; width and spacing folds stay folded.
    """
    if to_simplified(original) == original:
        return text
    chars = list(text)
    for i, (ch, at) in enumerate(zip(chars, offsets, strict=False)):
        orig = original[at]
        if orig != ch and len(orig) == 1 and to_simplified(orig) == ch:
            chars[i] = orig
    return "".join(chars)


def _rewrite(text: str, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], str]) -> tuple[str, Gone]:
    """Replace each match by `repl(m)` — nothing, or one character standing in the place of the match's
    first — and say which characters of `text` went (nothing is ever inserted: see the module's note)."""
    parts: list[str] = []
    gone: Gone = []
    last = 0
    for m in pattern.finditer(text):
        start, end = m.span()
        replacement = repl(m)
        if len(replacement) > 1:
            raise ValueError(f"normalisation may not insert characters: {m.group(0)!r} → {replacement!r}")
        parts.append(text[last:start])
        parts.append(replacement)
        if start + len(replacement) < end:
            gone.append((start + len(replacement), end))
        last = end
    if not parts:
        return text, gone
    parts.append(text[last:])
    return "".join(parts), gone


def _to_input(position: int, gone: Gone) -> int:
    """Where `position` of a step's output was in its input."""
    for a, b in gone:
        if a > position:
            break
        position += b - a
    return position


def _clean_line(line: str) -> tuple[str, Gone]:
    """Strip indentation and trailing spaces, tidy spacing and punctuation; drop web chrome."""
    stripped = line.strip(" ")
    if not stripped:
        return "", [(0, len(line))] if line else []
    lead = len(line) - len(line.lstrip(" "))
    tail = lead + len(stripped)
    gone: Gone = [(0, lead)] if lead else []
    if is_web_chrome(stripped):
        return "", [(0, len(line))]  # a dropped line separates paragraphs like a blank one
    text = stripped
    spaces: Gone = []
    if " " in text:  # the patterns only act on spaces and half-width , : ; (most lines have neither)
        text, spaces = _rewrite(text, _CJK_SPACE, lambda m: "")
        gone += [(lead + a, lead + b) for a, b in spaces]
    if "," in text or ":" in text or ";" in text:
        text, marks = _rewrite(text, _HALF_PUNCT, lambda m: _FULL[m.group(0)])
        gone += [(lead + _to_input(a, spaces), lead + _to_input(b - 1, spaces) + 1) for a, b in marks]
        gone.sort()
    if tail < len(line):
        gone.append((tail, len(line)))
    return text, gone


def is_web_chrome(line: str) -> bool:
    """Breadcrumbs ("首页> >政府信息公开 >通知公告") and page tools ("关闭本页 打印本页")."""
    if _PAGE_TOOLS.match(line):
        return True
    if len(line) <= 80 and "。" not in line and "，" not in line:
        arrows = len(_CRUMB_ARROWS.findall(line))
        if arrows >= 2 or (arrows >= 1 and _CRUMB_START.match(line)):
            return True
    return False


def starts_block(line: str) -> bool:
    """A line that begins something of its own: a numbered heading, a label, a list item."""
    return bool(NUMBERING.match(line) or _LABEL.match(line))


def is_heading_like(line: str) -> bool:
    """Titles, signatures and numbered headings: their line break is meaningful."""
    if NUMBERING.match(line) and "。" not in line and "；" not in line:
        return True
    if _LABEL.match(line) and len(line) <= 60 and "。" not in line:  # "名称：关于…的通报"
        return True
    title = _INFO_LABEL.sub("", line)  # "- 标题：…的通报" is a title behind its info-table label
    if len(title) <= 80 and _TITLE_END.search(title) and not _SENTENCE_PUNCT.search(title):
        return True  # a long title: "…关于…整改进展情况的通报"
    return len(line) <= TITLE_MAX and not _SENTENCE_PUNCT.search(line)


def should_join(before: str, after: str) -> bool:
    """Is the line break between these two adjacent lines a break inside a sentence ("市\\n委")?"""
    return (
        bool(_JOIN_AFTER.match(before, len(before) - 1))
        and bool(_JOIN_BEFORE.match(after))
        and not NUMBERING.match(after)
        and not _LABEL.match(after)
        and not is_heading_like(before)
    )


def _join_lines(lines: list[tuple[str, int | None]]) -> tuple[str, list[int]]:
    """Rejoin broken sentences, keep at most one blank line, drop blank lines at both ends.

    Each `lines` entry carries where its own newline was (None for the final line of the text); the
    newlines that survive are returned with the text.
    """
    parts: list[str] = []
    kept: list[int] = []
    pending: list[int] = []  # the line breaks since the last non-blank line
    previous = ""  # the last non-blank line
    for text, newline in lines:
        if text:
            if parts:
                if len(pending) == 1 and should_join(previous, text):
                    pending = []
                parts.append("\n" * len(pending[:2]))
                kept += pending[:2]
            parts.append(text)
            pending = []
            previous = text
        if newline is not None:
            pending.append(newline)
    return "".join(parts), kept
