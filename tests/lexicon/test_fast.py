"""`lead` rewrites a pattern so `re` can skip to where it may start; what it matches must not change."""

from __future__ import annotations

import re

import pytest

from assistant.lexicon.fast import _engine_skips, guarded, lead

_TEXTS = [
    "整改情况：已完成。\n  整改情况：召开专题会议3次，追回资金12.5万元。",
    "一、问题（一）落实情况\n【整改措施】制定《管理办法》；完成情况：基本完成！整改措施\n一是清退2人",
    "第3名同志，共3名；2024年5月底前完成，已于2024年3月12日印发文件20份",
    "(一)推进中。 正在整改；将于6月底前完成，拟于下月办理，尚未完成",
    "",
    "\n\n整改成效：",
    "已制定《资金管理办法》并已印发；〔2024〕12号文件正式印发，“三张清单”已出台，（2023）5号",
    "梳理问题十二个，完成3项、二十条，共3个月；第〇个",
]

_PATTERNS = [
    # a line or sentence start before optional spaces and a bracketed or bare label (MULTILINE ^, lookbehind, X*)
    re.compile(
        r"(?:^|(?<=[\n。；;！？]))[ \t]*(?:【(?:整改措施|整改情况)】|(?:整改情况|落实情况|完成情况)[:：])",
        re.M,
    ),
    # the same without MULTILINE: ^ is the start of the text only
    re.compile(r"(?:^|(?<=[。；]))[ \t]*(?:整改情况|完成情况)[:：]"),
    # a lookahead and a digit class where it starts, a number before a classifier
    re.compile(
        r"(?=\d)(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底)(?:前)?|\d+(?:\.\d+)?\s*(?:名|人|份|次|万元)"
    ),
    # a negative lookbehind where it starts
    re.compile(r"(?<![已并])将(?:于|在)|拟|尚未(?:完成|整改)|正在(?=[\u4e00-\u9fff])"),
    # a lazy star where it starts
    re.compile(r"[ \t]*?(?:推进中|整改中)"),
    # a group that captures where it starts: its content becomes one class and what follows each character
    re.compile(
        r"(?P<doc>《[^》]{2,20}》|[〔\[（]\s*\d{4}\s*[〕\]）]\s*\d+\s*号|“[^”]{2,10}(?:清单|制度)”)[^，。；]{0,6}?(?:已|正式)(?:印发|出台)"
    ),
    # the same with alternatives that share their tail, and a count that may be in either script
    re.compile(r"(?P<n>\d+|[〇零一二两三四五六七八九十百]+)\s*(?:个|项|条|件)(?!方面|月)"),
    # a group that captures where an alternative starts cannot be copied: the lookahead stays
    re.compile(r"(?:^|(?<=。))(?P<label>整改情况|落实情况)[:：]", re.M),
]


@pytest.mark.parametrize("pattern", _PATTERNS, ids=range(len(_PATTERNS)))
def test_lead_matches_what_the_pattern_matches(pattern: re.Pattern[str]) -> None:
    fast = lead(pattern)
    for text in _TEXTS:
        for start in range(len(text) + 1):
            expected = [(m.span(), m.groups()) for m in pattern.finditer(text, start)]
            assert [(m.span(), m.groups()) for m in fast.finditer(text, start)] == expected, (text, start)


@pytest.mark.parametrize("pattern", _PATTERNS[:-1], ids=range(len(_PATTERNS) - 1))
def test_lead_lets_the_engine_skip(pattern: re.Pattern[str]) -> None:
    """Each is rewritten as alternatives that begin with a literal, grouped by that literal — no lookahead
    run at every position."""
    fast = lead(pattern)
    assert _engine_skips(re._parser.parse(fast.pattern, fast.flags), fast.flags)  # type: ignore[attr-defined]
    assert not fast.pattern.startswith("(?=")
    (op, av), *_ = re._parser.parse(fast.pattern, fast.flags)  # type: ignore[attr-defined]
    if op is re._constants.BRANCH:  # type: ignore[attr-defined]
        firsts = [alternative[0][1] for alternative in av[1]]
        assert len(firsts) == len(set(firsts))


def test_label_start_is_found_after_a_sentence_or_at_a_line_start() -> None:
    fast = lead(_PATTERNS[0])
    text = "问题描述。整改情况：完成\n【整改措施】开展清理；并非整改情况：这不算"
    assert [m.group(0).strip() for m in fast.finditer(text)] == ["整改情况：", "【整改措施】"]


def test_ignorecase_patterns_keep_their_lookahead() -> None:
    pattern = re.compile(r"(?<![a-z])(?:bookmark|Book)\d", re.IGNORECASE)
    fast = lead(pattern)
    text = "xbook1 BOOK2 Bookmark3 book"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in pattern.finditer(text)]
    assert not _engine_skips(re._parser.parse(fast.pattern, fast.flags), fast.flags)  # type: ignore[attr-defined]


def test_gated_finds_what_its_pattern_finds() -> None:
    from assistant.lexicon.fast import Gated

    pattern = re.compile(r"(?:^|(?<=。))(?P<label>整改情况|落实情况)[:：]", re.M)
    gated = Gated(pattern, r"整改情况|落实情况")
    text = "问题描述。整改情况：已完成。\n落实情况：开展清理"
    for start in range(len(text) + 1):
        for end in range(start, len(text) + 1):
            expected = [m.span() for m in pattern.finditer(text, start, end)]
            assert [m.span() for m in gated.finditer(text, start, end)] == expected
            found = gated.search(text, start, end)
            assert (found.span() if found else None) == (expected[0] if expected else None)
    assert gated.search("没有标签的措施条目") is None
    assert list(gated.finditer("没有标签的措施条目")) == []


def test_a_capture_where_the_pattern_starts_is_skipped_to_through_one_class() -> None:
    fast = lead(_PATTERNS[-3])
    assert fast.pattern.startswith("(?P<doc>[")
    assert [m.group("doc") for m in fast.finditer(_TEXTS[6])] == [
        "《资金管理办法》",
        "〔2024〕12号",
        "“三张清单”",
    ]
    assert [m.group("n") for m in lead(_PATTERNS[-2]).finditer(_TEXTS[7])] == ["十二", "3", "二十", "〇"]


def test_guarded_word_list_matches_what_the_list_matches() -> None:
    words = "人次|万人次|个月|个|名|余人"
    plain = re.compile(rf"\d+\s*(?:多|余)?(?:{words})")
    fast = re.compile(rf"\d+\s*(?:多|余)?{guarded(words)}")
    assert guarded(words).startswith("(?=[万个人余名])")
    text = "共3人次、5万人次，12个月内100余人；2024年，8名，7余人，6多个"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    assert guarded("a?") == "(?:a?)"  # may match empty: no lookahead


def test_gated_with_a_lead_in_tries_the_pattern_only_where_a_word_run_begins() -> None:
    from assistant.lexicon.fast import Gated
    from assistant.lexicon.labels import RECTIFICATION_LABEL_WORDS, label_re

    pattern = label_re(RECTIFICATION_LABEL_WORDS)
    gated = Gated(pattern, RECTIFICATION_LABEL_WORDS, " \t【[［〖（(")
    texts = [
        "问题描述。整改情况：已完成。\n  【整改措施】开展清理；（落实情况）\n并非整改情况：这不算",
        "\t\t整改成效：\n 【整改情况】\n一是清理；二是（整改措施） 整改落实情况及成效：完成",
        "整改措施整改情况：【【整改情况】】 (整改进展)1.清理",
    ]
    for text in texts:
        for start in range(len(text) + 1):
            for end in range(start, len(text) + 1):
                expected = [(m.span(), m.groups()) for m in pattern.finditer(text, start, end)]
                assert [(m.span(), m.groups()) for m in gated.finditer(text, start, end)] == expected
                found = gated.search(text, start, end)
                assert (found.span() if found else None) == (expected[0][0] if expected else None)
    assert [m.group(0) for m in gated.finditer(texts[0])] == ["整改情况：", "  【整改措施】", "（落实情况）"]
    assert [m.group(0) for m in gated.finditer(texts[1])] == ["\t\t整改成效：", " 【整改情况】"]
