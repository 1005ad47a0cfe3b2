"""Normalisation rules and the exactness of the offset map back to the original."""

from __future__ import annotations

import unicodedata
from itertools import pairwise

import pytest

from assistant.ingest import normalise, notice_from_text
from assistant.models import Span

SAMPLES = ["000", "001", "002", "003", "004"]


def _variant(normalised: str, original: str) -> bool:
    """The normalised character is the original one, or its width / space / newline variant."""
    if normalised == original:
        return True
    if normalised.isspace() and original.isspace():
        return True
    return unicodedata.normalize("NFKC", normalised) == unicodedata.normalize("NFKC", original)


@pytest.mark.parametrize("prefix", SAMPLES)
def test_offset_map_is_exact_on_samples(prefix, sample_text):
    original = sample_text(prefix)
    text, offsets = normalise(original)
    assert len(offsets) == len(text) + 1
    assert offsets[-1] == len(original)
    assert all(a < b for a, b in pairwise(offsets)), "offsets strictly increase"
    for i, ch in enumerate(text):
        assert _variant(ch, original[offsets[i]]), (i, ch, original[offsets[i]])


@pytest.mark.parametrize("prefix", SAMPLES)
def test_normalising_twice_changes_nothing(prefix, sample_text):
    once, _ = normalise(sample_text(prefix))
    assert normalise(once)[0] == once


def _check_map(original: str) -> str:
    text, offsets = normalise(original)
    for i, ch in enumerate(text):
        assert _variant(ch, original[offsets[i]]), (i, ch, original[offsets[i]])
    assert offsets[-1] == len(original)
    return text


def test_word_broken_by_line_break_is_rejoined(sample_text):
    text = _check_map(sample_text("000"))
    assert text.startswith(
        "根据市委的统一部署，2024年3月7日至5月31日，市委第一巡察组对市公安局党委开展了专项巡察"
    )


def test_headings_titles_and_labels_keep_their_line_breaks():
    original = (
        "中共某县交通运输局党组\n关于巡察整改情况的\n通    报\n"
        "根据县委统一部署，县委第一巡察组对我局进行了巡察，现将整改情况予以公布\n"
        "一、组织整改落实情况\n局党组高度重视\n"
        "（一）学习贯彻重要讲话精神不够深入\n整改情况：一是健全学习制度。\n"
        "收到反馈意见后召开会议，研究部署\n二是成立领导小组。\n"
        "1.理论学习有差距\n1)学习次数少"
    )
    assert _check_map(original).split("\n") == [
        "中共某县交通运输局党组",
        "关于巡察整改情况的",
        "通报",
        "根据县委统一部署，县委第一巡察组对我局进行了巡察，现将整改情况予以公布",
        "一、组织整改落实情况",
        "局党组高度重视",
        "（一）学习贯彻重要讲话精神不够深入",
        "整改情况：一是健全学习制度。",
        "收到反馈意见后召开会议，研究部署",
        "二是成立领导小组。",
        "1.理论学习有差距",
        "1)学习次数少",
    ]


def test_sentence_broken_after_comma_or_inside_a_long_line_is_rejoined():
    original = "按照巡察工作有关要求，结合本单位实际情况，局党组召开专题会议，\n研究制定了整改方案，明确\n责任分工和完成时限。"
    assert (
        _check_map(original)
        == "按照巡察工作有关要求，结合本单位实际情况，局党组召开专题会议，研究制定了整改方案，明确责任分工和完成时限。"
    )


def test_line_break_after_sentence_end_or_before_digits_is_kept():
    original = "已完成整改。\n整改后无反弹，欢迎监督，请及时向我们反映情况\n2024年6月3日"
    assert _check_map(original) == "已完成整改。\n整改后无反弹，欢迎监督，请及时向我们反映情况\n2024年6月3日"


def test_width_spaces_and_line_endings():
    original = "\ufeff\u3000\u3000一、整改情况\r\n  整改完成８个，涉及ＡＢ类问题\u00a0\t \r\n\r\n\r\n\r\n\t二是２０２４年完成。\r三是\u200b完成。  "
    assert _check_map(original) == "一、整改情况\n整改完成8个，涉及AB类问题\n\n二是2024年完成。\n三是完成。"


def test_full_width_brackets_are_kept_faithful():
    assert _check_map("（一）反馈问题(二)（试行）") == "（一）反馈问题(二)（试行）"


def test_half_width_punctuation_between_chinese_becomes_full_width():
    original = "反馈问题:全面从严治党不力,违纪问题频发;一是《规定》,二是“制度”,共8个;予以公布:\n1,000元 发布日期: 2025-06-12 网址http://a.cn"
    assert _check_map(original) == (
        "反馈问题：全面从严治党不力，违纪问题频发；一是《规定》，二是“制度”，共8个；予以公布：\n"
        "1,000元发布日期: 2025-06-12 网址http://a.cn"
    )


def test_spaces_inside_chinese_text_are_dropped_but_not_elsewhere():
    original = "名 称:关于整改的通报\n进行了巡察， 2022年7月22日反馈 意见。\n联系电话 0739-5163535 Tel 123"
    assert (
        _check_map(original)
        == "名称：关于整改的通报\n进行了巡察，2022年7月22日反馈意见。\n联系电话 0739-5163535 Tel 123"
    )


def test_bookmarks_crumbs_and_page_tools_are_dropped_but_publication_line_kept(sample_text):
    text = _check_map(sample_text("003"))
    lines = text.split("\n")
    assert lines[0] == "关于市委第一巡察组巡察张家界市公安局交通警察支队反馈问题整改进展情况的通报"
    assert "来源：交警支队作者：交警支队发布日期: 2025-06-12" in lines
    assert "首页" not in text
    assert "关闭本页" not in text
    assert text.endswith("中共张家界市公安局交通警察支队委员会\n\n2025年58")
    text004 = _check_map(sample_text("004"))
    assert "[bookmark" not in text004
    assert "\n根据县委统一部署，2023年11月28日至12月28日" in text004


def test_other_crumb_and_tool_lines():
    original = "当前位置：首页 > 信息公开\n正文第一段内容。\n【打印本页】【关闭窗口】\n返回顶部"
    assert _check_map(original) == "正文第一段内容。"


def test_blank_line_runs_collapse_to_one():
    assert (
        _check_map("\n\n\n甲段落。\n\n\n\n\n乙段落。\n \n\u3000\n丙段落。\n\n")
        == "甲段落。\n\n乙段落。\n\n丙段落。"
    )


def test_spans_map_back_to_the_original(sample_text):
    original = sample_text("003")
    notice = notice_from_text(original, "003.txt")
    totals = notice.meta.totals
    assert totals is not None
    back = notice.original_span(totals.span)
    assert (
        original[back.start : back.end]
        == "巡察反馈的4个方面15个问题43个具体问题,已完成整改21个,阶段整改完成22个"
    )
    empty = notice.original_span(Span(start=5, end=5))
    assert empty.start == empty.end == notice.offsets[5]


def test_offset_map_is_runs_read_like_the_list_it_replaces():
    from assistant.models import Notice, OffsetMap

    original = "  通　报\r\n[bookmark: _GoBack]市\n委巡察组，2022年3月\n\n\n整改完成。"
    text, offsets = normalise(original)
    as_list = list(offsets)
    assert isinstance(offsets, OffsetMap) and len(offsets.to_json()["starts"]) < len(as_list)
    assert [offsets[i] for i in range(len(offsets))] == as_list and offsets[-1] == len(original)
    assert offsets[2:5] == as_list[2:5]
    assert OffsetMap.from_list(as_list) == offsets == as_list
    notice = Notice(
        notice_id="n", source_name="a.txt", format="txt", original=original, text=text, offsets=offsets
    )
    again = Notice.model_validate_json(notice.model_dump_json())
    assert again == notice and list(again.offsets) == as_list
    assert '"starts"' in notice.model_dump_json()  # stored as its runs
    old_form = notice.model_dump(mode="json") | {"offsets": as_list}  # a notice stored by earlier versions
    assert Notice.model_validate(old_form).offsets == offsets


def test_every_kept_character_maps_to_itself_through_each_kind_of_removal():
    # indentation, spaces between Chinese, half-width marks made full-width, a dropped web-chrome line,
    # blank-line runs, trailing spaces, CRLF and a pinyin note, all in one text
    original = "  首页>通知>公告\n   甲 乙,丙：丁;戊  \n\n\n\n打印本页 关闭\n市\n委担(dān)当,巡察。 \r\n 己"
    text, offsets = normalise(original)
    assert text == "甲乙，丙：丁；戊\n\n市\n委担当，巡察。\n己"
    assert [original[offsets[i]] for i in range(len(text))] == list("甲乙,丙：丁;戊\n\n市\n委担当,巡察。\r己")
    assert all(a < b for a, b in pairwise(offsets))


def test_a_rewrite_that_would_insert_characters_is_refused():
    import re

    from assistant.ingest.normalise import _rewrite

    assert _rewrite("甲 乙", re.compile(" "), lambda m: "") == ("甲乙", [(1, 2)])
    assert _rewrite("甲,乙", re.compile(","), lambda m: "，") == ("甲，乙", [])
    with pytest.raises(ValueError, match="insert"):
        _rewrite("甲,乙", re.compile(","), lambda m: "，，")
