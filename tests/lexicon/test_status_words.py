"""The one status lexicon, on phrases written for these tests."""

from __future__ import annotations

import pytest

from assistant.lexicon.fast import lead
from assistant.lexicon.status import BRACKET_STATUS, LEADING_STATUS, status_of_phrase
from assistant.models import Status


@pytest.mark.parametrize(
    ("phrase", "status"),
    [
        ("已完成", Status.COMPLETED),
        ("整改完成", Status.COMPLETED),
        ("已销号", Status.COMPLETED),
        ("“已完成，同意销号”", Status.COMPLETED),
        ("阶段性完成", Status.PARTIAL),
        ("基本完成整改", Status.PARTIAL),
        ("已部分完成整改", Status.PARTIAL),
        ("“视同完成，持续整改”", Status.PARTIAL),
        ("需长期坚持", Status.PARTIAL),
        ("正在整改", Status.IN_PROGRESS),
        ("尚未完成", Status.IN_PROGRESS),
        ("推进中", Status.IN_PROGRESS),
        ("已召开专题会议", None),
    ],
)
def test_status_of_phrase(phrase: str, status: Status | None) -> None:
    assert status_of_phrase(phrase) == status


def test_bracket_marks_and_leading_words() -> None:
    assert BRACKET_STATUS.search("食堂采购台账不全【已完成】").group("s") == "已完成"
    assert BRACKET_STATUS.search("会议记录缺失的问题（已完成整改）").group("s") == "已完成整改"
    assert LEADING_STATUS.match("已完成。一是补齐了记录。").group("s") == "已完成"
    assert LEADING_STATUS.match("正在推进中。已联系施工单位。").group("s") == "正在推进中"
    assert LEADING_STATUS.match("一是补齐了记录。") is None


def test_lead_keeps_what_a_pattern_matches() -> None:
    import re

    words = re.compile(r"(?:严重)?警告处分|诫勉谈话|(?<!第)(\d+)元")  # a capture where it starts: a lookahead
    fast = lead(words)
    assert fast.pattern.startswith("(?=[")
    text = "对2名同志诫勉谈话，给予1人严重警告处分，收回300元"
    assert [m.group(0) for m in fast.finditer(text)] == [m.group(0) for m in words.finditer(text)]
    assert lead(re.compile(r".*完成")).pattern == ".*完成"  # no known first characters: unchanged
