"""Chinese numerals, the one reader of them: counts ("十五", "两"), years digit by digit ("二〇二五")."""

from __future__ import annotations

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
