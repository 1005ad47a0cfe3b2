"""Chinese numerals, the one reader of them: counts ("十五", "两"), years digit by digit ("二〇二五"),
and money amounts normalised to yuan ("4.54万元" → 45400)."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import NamedTuple

_DIGITS = {
    "〇": 0,
    "零": 0,
    "○": 0,
    "Ｏ": 0,
    "一": 1,
    "二": 2,
    "两": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}


def cn_number(text: str) -> int | None:
    """Arabic or Chinese numeral as an int ("15", "十五", "二〇二五", "三百零二"); None if it is neither."""
    if not text:
        return None
    if text.isdigit():
        return int(text)
    if all(c in _DIGITS for c in text) and len(text) > 1:  # digit by digit, as in years: 二〇二五
        return int("".join(str(_DIGITS[c]) for c in text))
    total, current = 0, 0
    for ch in text:
        if ch in _DIGITS:
            current = _DIGITS[ch]
        elif ch == "十":
            total += (current or 1) * 10
            current = 0
        elif ch == "百":
            total += (current or 1) * 100
            current = 0
        else:
            return None
    return total + current


# Money multipliers as notices write them ("4.54万元", "1.2亿元", "三千元").
_MONEY_SCALE = {"千": Decimal(1000), "万": Decimal(10_000), "亿": Decimal(100_000_000)}
_AMOUNT = re.compile(
    r"(?P<num>\d+(?:\.\d+)?|[〇零一二两三四五六七八九十百]+)\s*(?P<approx>余|多)?\s*(?P<scale>[千万亿]*)\s*(?:余|多)?\s*(?:元|(?<=[万亿])(?![\u4e00-\u9fff]))"
)


class Amount(NamedTuple):
    """A money amount read from the notice: its value in yuan, and whether it was approximate (40余万元)."""

    yuan: Decimal
    approximate: bool


def money_amount(text: str) -> Amount | None:
    """The first amount in `text` normalised to yuan ("8976元" → 8976, "4.54万元" → 45400); None if none."""
    m = _AMOUNT.search(text)
    if m is None:
        return None
    num = m.group("num")
    value = Decimal(num) if num[0].isdigit() else cn_number(num)
    if value is None:
        return None
    yuan = Decimal(value)
    for ch in m.group("scale"):
        yuan *= _MONEY_SCALE[ch]
    return Amount(yuan=yuan, approximate=bool(m.group("approx")) or "余" in m.group(0) or "多" in m.group(0))
