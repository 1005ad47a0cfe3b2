"""The Chinese-text kernel: one fold, one sentence rule, one tokeniser, one numeral reader."""

from __future__ import annotations

import pytest

from assistant.text.fold import fold, width_fold
from assistant.text.numerals import cn_number
from assistant.text.sentences import clause_spans, sentence_end_cuts, sentence_spans
from assistant.text.tokens import STOPWORDS, search_terms, subwords, words


def test_fold_folds_width_and_case_width_fold_keeps_case():
    assert fold("ＥＴＣ卡２０２４年") == "etc卡2024年"
    assert width_fold("ＥＴＣ卡２０２４年") == "ETC卡2024年"


def test_sentences_keep_their_mark_and_lines_end_them():
    text = "已完成整改。正在推进；下一步！\n新的一行"
    spans = sentence_spans(text)
    assert [text[s:e] for s, e in spans] == ["已完成整改。", "正在推进；", "下一步！", "新的一行"]
    assert [text[s:e] for s, e in sentence_spans(text, 6, 11)] == ["正在推进；"]
    assert sentence_end_cuts(text, 0, len(text)) == [6, 11, 15, 16]


def test_half_and_full_width_ends_are_one_rule():
    text = "甲已完成;乙推进中?丙未说明"
    assert [text[s:e] for s, e in sentence_spans(text)] == ["甲已完成;", "乙推进中?", "丙未说明"]


def test_clauses_do_not_cut_inside_quotes():
    text = "共10个问题，其中“已完成，同意销号”9个、推进中1个"
    assert [text[s:e] for s, e in clause_spans(text)] == [
        "共10个问题",
        "其中“已完成，同意销号”9个",
        "推进中1个",
    ]


@pytest.mark.parametrize(
    ("numeral", "value"),
    [
        ("15", 15),
        ("十五", 15),
        ("两", 2),
        ("二〇二五", 2025),
        ("三百零二", 302),
        ("十", 10),
        ("半", None),
        ("", None),
    ],
)
def test_cn_number(numeral: str, value: int | None):
    assert cn_number(numeral) == value


def test_store_and_qa_cut_a_question_alike():
    """The store's search terms are the QA words plus their finer pieces, minus stopwords."""
    question = "上班时间玩手机游戏的问题整改了吗？"
    assert words(question) == ["上班时间", "玩", "手机游戏", "的", "问题", "整改", "了", "吗"]
    assert search_terms(question) == ["上班", "时间", "上班时间", "玩", "手机", "游戏", "手机游戏"]
    assert subwords("上班时间") == ["上班", "时间"]
    assert {"问题", "整改", "的", "了吗", "哪些"} <= STOPWORDS
    assert "工作" not in STOPWORDS


def test_tokens_are_folded():
    assert words("ＥＴＣ卡办理") == ["etc", "卡", "办理"]
    assert search_terms("ＥＴＣ卡办理") == ["etc", "卡", "办理"]
