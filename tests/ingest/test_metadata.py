"""Notice metadata: exact values on the five sample notices, and the date and totals edge cases."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.ingest import load_notice, normalise, parse_meta
from assistant.ingest.metadata import parse_date, parse_totals
from assistant.text.numerals import cn_number as cn_int

D = dt.date


@pytest.fixture(scope="module")
def meta(sample_path):
    cache = {}

    def get(prefix):
        if prefix not in cache:
            cache[prefix] = load_notice(sample_path(prefix)).meta
        return cache[prefix]

    return get


def _meta_of(original: str):
    return parse_meta(normalise(original)[0])


def test_000(meta):
    m = meta("000")
    assert m.title is None  # the notice starts straight with its preamble
    assert m.organisation == "中共邵阳市公安局交通警察支队委员会"
    assert (m.published, m.published_text, m.date_note) == (D(2025, 3, 21), "2025年3月21日", None)
    assert m.inspection_group == "市委第一巡察组"
    assert m.inspected_unit == "市公安局党委"
    assert (m.period_start, m.period_end, m.period_text) == (
        D(2024, 3, 7),
        D(2024, 5, 31),
        "2024年3月7日至5月31日",
    )
    assert (m.feedback_date, m.feedback_text) == (D(2024, 7, 9), "2024年7月9日")
    t = m.totals
    assert t is not None
    assert t.text == "巡察反馈的9个具体问题，整改完成8个，阶段性完成1个"
    assert (t.areas, t.problems, t.specific_problems, t.completed, t.partial, t.in_progress) == (
        None, None, 9, 8, 1, None,
    )  # fmt: skip
    assert t.record_total == 9


def test_001_has_no_date(meta):
    m = meta("001")
    assert m.title == "望江县公安局交通管理大队关于巡察整改进展情况的通报"
    assert m.organisation == "望江县公安局交通管理大队"  # no signature: the issuer in the title
    assert m.published is None and m.published_text is None
    assert m.date_note == "未找到发布日期：通报中没有落款日期或网页发布日期。"
    assert (m.inspection_group, m.inspected_unit) == ("县委第三巡察组", "望江县公安局交通管理大队")
    assert (m.period_start, m.period_end) == (D(2021, 11, 1), D(2021, 11, 30))
    assert m.period_text == "2021年11月1日至11月30日"
    assert m.feedback_date == D(2022, 2, 14)
    assert m.totals is None


def test_002(meta):
    m = meta("002")
    assert m.title == "中共祁阳市交通运输局党组关于巡察整改进展情况的通报"
    assert m.organisation == "中共祁阳市交通运输局党组"
    assert m.published == D(2023, 10, 19)
    assert (m.inspection_group, m.inspected_unit) == ("市委第三巡察组", "祁阳市交通运输局党组")
    assert (m.period_start, m.period_end) == (D(2022, 4, 7), D(2022, 6, 10))
    # the period and the feedback date share one sentence: the feedback date is the other one
    assert (m.feedback_date, m.feedback_text) == (D(2022, 7, 22), "2022年7月22日")
    assert m.totals is None


def test_003_prefers_the_web_publication_date_over_a_mangled_signature_date(meta, sample_path):
    m = meta("003")
    assert m.title == "关于市委第一巡察组巡察张家界市公安局交通警察支队反馈问题整改进展情况的通报"
    assert m.organisation == "中共张家界市公安局交通警察支队委员会"
    assert (m.published, m.published_text) == (D(2025, 6, 12), "2025-06-12")
    assert m.date_note == "落款日期无法识别：2025年58；已采用网页标注的发布日期 2025-06-12。"
    assert (m.inspection_group, m.inspected_unit) == ("市委第一巡察组", "张家界市公安局交通警察支队党委")
    assert (m.period_start, m.period_end) == (D(2024, 3, 4), D(2024, 5, 8))
    # "7月15日，市委第一巡察组向…反馈" has no year: it comes from the inspection period
    assert (m.feedback_date, m.feedback_text) == (D(2024, 7, 15), "7月15日")
    t = m.totals
    assert t is not None
    assert t.text == "巡察反馈的4个方面15个问题43个具体问题，已完成整改21个，阶段整改完成22个"
    assert (t.areas, t.problems, t.specific_problems, t.completed, t.partial, t.in_progress) == (
        4,
        15,
        43,
        21,
        22,
        None,
    )
    notice = load_notice(sample_path("003"))
    assert t.span.slice(notice.text) == t.text


def test_004_title_over_three_lines(meta):
    m = meta("004")
    # the title keeps the issuer line printed above it (as for 002), so titles read alike
    assert m.title == "中共新野县交通运输局党组关于十三届县委第八轮巡察整改情况的通报"
    assert m.organisation == "中共新野县交通运输局党组"
    assert (m.published, m.date_note) == (D(2024, 6, 3), None)
    assert m.inspection_group == "县委第三巡察组"
    assert m.inspected_unit == "中共新野县交通运输局党组"  # "对我局进行了巡察": 我局 is the issuer
    assert (m.period_start, m.period_end) == (D(2023, 11, 28), D(2023, 12, 28))
    assert m.feedback_date == D(2024, 1, 26)
    assert m.totals is None


def test_mangled_signature_date_without_web_date_is_not_guessed():
    m = _meta_of("某局党组关于巡察整改情况的通报\n\n正文内容。\n\n中共某县某局党组\n2025年58")
    assert (m.published, m.published_text) == (None, "2025年58")
    assert m.date_note == "发布日期无法识别：2025年58。请核对原文。"
    assert m.organisation == "中共某县某局党组"


def test_impossible_signature_date_is_reported():
    m = _meta_of("某局关于巡察整改情况的通报\n\n正文内容。\n\n某县某局\n2024年2月30日")
    assert m.published is None
    assert m.date_note == "发布日期无法识别：2024年2月30日。请核对原文。"


def test_chinese_numeral_signature_date():
    m = _meta_of("某局关于巡察整改情况的通报\n\n正文内容。\n\n中共某县某局委员会\n二〇二五年三月二十一日")
    assert m.published == D(2025, 3, 21)


def test_period_across_new_year_and_feedback_without_year():
    m = _meta_of(
        "根据县委统一部署，2023年11月28日至1月5日，县委第二巡察组对县水利局党组开展了常规巡察。"
        "2月26日，县委第二巡察组向县水利局党组反馈了巡察意见。"
    )
    assert (m.period_start, m.period_end) == (D(2023, 11, 28), D(2024, 1, 5))
    assert (m.feedback_date, m.feedback_text) == (D(2024, 2, 26), "2月26日")
    assert (m.inspection_group, m.inspected_unit) == ("县委第二巡察组", "县水利局党组")


def test_period_within_one_month():
    m = _meta_of("2024年4月2日至28日，市委第五巡察组对市统计局进行了巡察。")
    assert (m.period_start, m.period_end) == (D(2024, 4, 2), D(2024, 4, 28))


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("截至目前，巡察反馈的三个方面十二个问题，已完成整改十个，正在推进2个。", (3, 12, None, 10, None, 2)),
        ("巡察组反馈问题共9个，已整改到位7个，基本完成2个；移交问题线索3件。", (None, 9, None, 7, 2, None)),
        # "5个方面问题" counts areas of problems; the status clauses are never read as scope counts
        ("巡察反馈的5个方面问题20个具体问题，完成整改18个，持续整改2个。", (5, None, 20, 18, 2, None)),
    ],
)
def test_totals_variants(sentence, expected):
    text = normalise(sentence)[0]
    t = parse_totals(text)
    assert t is not None
    assert (t.areas, t.problems, t.specific_problems, t.completed, t.partial, t.in_progress) == expected
    assert t.span.slice(text) == t.text
    assert "；" not in t.text and not t.text.endswith("，")


def test_sentences_that_are_not_totals():
    assert parse_totals("市委第一巡察组向市公安局党委反馈了巡察意见。") is None
    assert parse_totals("巡察反馈意见整改工作领导小组负责统筹推进。") is None


def test_helpers():
    assert [cn_int(s) for s in ("15", "十五", "二十一", "一百零八", "二〇二五", "两", "甲")] == [
        15,
        15,
        21,
        108,
        2025,
        2,
        None,
    ]
    assert parse_date("发布日期: 2025-06-12") == D(2025, 6, 12)
    assert parse_date("2025年58") is None
