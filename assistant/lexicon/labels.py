"""Labels that introduce parts of a record: rectification text, status lines, plan fields.

Real notices use an open family of label words (STRUCTURES.md §1), written with `：`, `:`, nothing
or a line break after them, sometimes in brackets (`【整改情况】`).
"""

from __future__ import annotations

import re

from assistant.lexicon.fast import Gated

# The rectification text of a record: 整改情况 / 整改成效 / 整改措施 / 整改进展 / 整改落实情况 /
# 整改措施及成效 / 落实情况 / 采取的措施 … (the head noun and an optional "及/和 + noun" tail).
_RECT_HEAD = r"(?:整改|落实|推进)(?:落实|推进|工作)?(?:情况|成效|措施|进展|举措|结果|效果|进度)"
RECTIFICATION_LABEL_WORDS = (
    rf"(?:{_RECT_HEAD}(?:(?:及|和|与|、)(?:成效|进展|情况|结果|效果|措施))?"
    r"|落实情况|整改落实|采取(?:的)?措施|主要措施|工作措施|整改举措)"
)

# A status line of its own: "整改结果：完成" "完成情况：已完成" "整改状态：已完成" "整改进度：阶段性完成".
STATUS_LABEL_WORDS = (
    r"(?:整改(?:结果|状态|进度|完成情况)|完成(?:情况|状态|进度)|办理(?:情况|结果)|销号情况|整改时限及进度)"
)

# Fields of an action plan (整改方案): who is responsible and by when; a notice of progress rarely has them.
PLAN_FIELD_WORDS = (
    r"(?:责任(?:领导|单位|部门|人|科室|股室)|牵头(?:领导|单位|部门)|配合单位|完成时限|整改时限|整改目标)"
)

_OPEN = r"[【\[［〖（(]?"
_CLOSE = r"[】\]］〗）)]?"
_AFTER = r"[ \t]*(?:[:：]|(?=\n)|$|(?=一是|首先|\d+[.、]|[（(][一二三四五六七八九十\d]))"


def label_re(words: str) -> re.Pattern[str]:
    """A label at the start of a line or sentence: in brackets (`【整改情况】…`), or bare and followed by
    a colon, a line end or the first list item."""
    return re.compile(
        rf"(?:^|(?<=[\n。；;！？]))[ \t]*(?:[【\[［〖](?P<label>{words})[】\]］〗][ \t]*[:：]?|[（(]?(?P<label2>{words})[）)]?{_AFTER})",
        re.MULTILINE,
    )


# What may stand between where a label starts and its word (never what a label starts after).
_LEAD_IN = " \t【[［〖（("
# (each label holds one of its words: tried only where one is, see `Gated`)
RECTIFICATION_LABEL = Gated(label_re(RECTIFICATION_LABEL_WORDS), RECTIFICATION_LABEL_WORDS, _LEAD_IN)
STATUS_LABEL = Gated(label_re(STATUS_LABEL_WORDS), STATUS_LABEL_WORDS, _LEAD_IN)
PLAN_FIELD = Gated(label_re(PLAN_FIELD_WORDS), PLAN_FIELD_WORDS, _LEAD_IN)
