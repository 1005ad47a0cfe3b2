"""The outline parser on the five real sample notices and on synthetic edge cases."""

from __future__ import annotations

import pytest

from assistant.models import SectionKind
from assistant.outline import OutlineError, parse_outline


def _titles(outline, kind=None, style=None):
    return [
        n.title
        for n in outline.walk()
        if (kind is None or n.kind == kind) and (style is None or n.style == style)
    ]


def test_000_levels_follow_order_of_appearance(sample_text):
    outline = parse_outline(sample_text("000"))
    assert outline.styles == ["cn_dun", "paren_cn", "arabic_dot"]
    top = [(n.label, n.title, n.kind) for n in outline.nodes]
    assert top == [
        ("一、", "组织整改落实情况", SectionKind.ORGANISATIONAL),
        ("二、", "集中整改期内已完成的整改事项", SectionKind.RECORDS),
        ("三、", "下一步工作安排", SectionKind.CLOSING),
    ]
    problems = _titles(outline, SectionKind.RECORDS, "arabic_dot")
    assert len(problems) == 9
    assert problems[0] == "“第一议题”学习制度未按常态化、制度化要求落实"
    assert problems[7] == "职级晋升任免权限不合规"
    # the closing section's headings carry their first sentence as title
    assert _titles(outline, SectionKind.CLOSING, "paren_cn") == [
        "不断深化思想认识",
        "建立健全长效机制",
        "持续推进成果转化",
    ]


def test_001_sibling_in_other_bracket_style_and_four_levels(sample_text):
    outline = parse_outline(sample_text("001"))
    assert outline.styles == ["cn_dun", "paren_cn", "arabic_dot", "arabic_paren"]
    subs = [n for n in outline.walk() if n.level == 4 and n.kind == SectionKind.RECORDS]
    assert len(subs) == 30
    assert [n.label for n in subs[:3]] == ["1)", "(2)", "3)"]
    # "(2)" is a sibling of "1)" under "1.理论学习有差距", not a deeper level
    theory = next(n for n in outline.walk() if n.title == "理论学习有差距")
    assert [c.label for c in theory.children] == ["1)", "(2)"]
    assert outline.nodes[0].kind == SectionKind.ORGANISATIONAL
    assert outline.nodes[-1].title == "建立长效机制巩固整改成果"
    assert outline.nodes[-1].kind == SectionKind.CLOSING


def test_001_yishi_lines_nest_under_the_open_heading(sample_text):
    outline = parse_outline(sample_text("001"))
    first = next(n for n in outline.walk() if n.label == "1)")
    assert [c.label for c in first.children] == ["一是"]  # its 二是 runs on inline after "；"
    assert all(c.level == 5 for c in first.children)


def test_002_has_no_organisational_section(sample_text):
    outline = parse_outline(sample_text("002"))
    assert outline.styles == ["cn_dun", "paren_cn"]
    assert [n.kind for n in outline.nodes] == [SectionKind.RECORDS] * 4
    assert len([n for n in outline.walk() if n.level == 2]) == 24
    # half-width "(四)" in the third area is the same level as full-width "（一）"
    third = outline.nodes[2]
    assert [c.label for c in third.children] == ["（一）", "（二）", "（三）", "(四)", "(五)"]


def test_003_sections_and_records(sample_text):
    outline = parse_outline(sample_text("003"))
    assert [n.kind for n in outline.nodes] == [
        SectionKind.ORGANISATIONAL,
        SectionKind.RECORDS,
        SectionKind.CLOSING,
    ]
    assert len(_titles(outline, SectionKind.RECORDS, "arabic_dot")) == 15
    assert (
        _titles(outline, SectionKind.RECORDS, "paren_cn")[0]
        == "反馈问题:全面从严管党治警责任未压实,违纪违法问题频发"
    )


def test_004_mixed_group_styles_and_quoted_titles(sample_text):
    outline = parse_outline(sample_text("004"))
    records = outline.nodes[1]
    assert [(c.label, c.title) for c in records.children] == [
        ("（一）", "整改中存在的主要问题"),
        ("（2）", "新发现的突出问题"),
    ]
    first = records.children[0].children[0]
    # the 。 inside the quotes does not end the title
    assert first.title.startswith("关于“网约车审批至今未开展。交通运输局党组")
    assert first.title.endswith("未针对网约车审批问题作出回应”问题")
    assert [len(c.children) for c in records.children] == [5, 3]


def test_spans_point_at_the_titles(sample_text):
    for stem in ("000", "001", "002", "003", "004"):
        text = sample_text(stem)
        for node in parse_outline(text).walk():
            assert node.title_span.slice(text) == node.title
            assert node.span.start <= node.title_span.start <= node.span.end


def test_contact_paragraph_is_not_in_the_last_section(sample_text):
    text = sample_text("001")
    last = parse_outline(text).nodes[-1]
    assert "欢迎广大干部群众" not in last.span.slice(text)


def test_no_outline_is_a_clear_error():
    with pytest.raises(OutlineError, match="未识别到通报的编号结构"):
        parse_outline("这是一段没有任何编号的文字。\n第二行也没有编号。")


def test_levels_are_inferred_not_fixed():
    # the same styles in the opposite nesting order
    text = "1.第一方面\n（一）第一个问题\n整改情况：已完成。\n（二）第二个问题\n整改情况：已完成。\n2.第二方面\n（一）第三个问题\n整改情况：无。"
    outline = parse_outline(text)
    assert outline.styles == ["arabic_dot", "paren_cn"]
    assert [[c.title for c in n.children] for n in outline.nodes] == [
        ["第一个问题", "第二个问题"],
        ["第三个问题"],
    ]


def test_contact_lines_are_found_as_the_plain_line_pattern_finds_them():
    import re

    from assistant.lexicon.headings import CONTACT
    from assistant.outline.parser import _CONTACT_LINE

    plain = re.compile(rf"^[^\S\n]*(?:{CONTACT.pattern.removeprefix('^')})", re.MULTILINE)
    text = (
        "三、下一步工作\n欢迎广大干部群众对整改情况进行监督。\n  联系电话：0571-1234567\n"
        "本单位邮箱：a@b.cn\n\u3000\t电子邮箱：x@y.cn\n邮政编码：310000；监督电话:12388"
    )
    for start in range(len(text) + 1):
        assert [m.span() for m in _CONTACT_LINE.finditer(text, start)] == [
            m.span() for m in plain.finditer(text, start)
        ]
    assert [m.group(0).strip() for m in _CONTACT_LINE.finditer(text)] == [
        "欢迎广大干部群众对整改情况进行监督",
        "联系电话：",
        "电子邮箱：",
        "邮政编码：",
    ]
