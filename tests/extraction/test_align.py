"""Character-level alignment of LLM-returned text onto the real sample notices."""

from __future__ import annotations

import random
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.extraction.align import align
from assistant.ingest import load_notice
from assistant.models import AlignmentStatus, Notice, Span
from assistant.pipeline import ProcessedNotice


@pytest.fixture(scope="module")
def n000(sample_path: Callable[[str], Path]) -> Notice:
    return load_notice(sample_path("000"))


@pytest.fixture(scope="module")
def n001(sample_path: Callable[[str], Path]) -> Notice:
    return load_notice(sample_path("001"))


def _window(text: str, start_marker: str, end_marker: str) -> Span:
    start = text.index(start_marker)
    return Span(start=start, end=text.index(end_marker, start))


def test_exact_substring(n000: Notice) -> None:
    value = "交警支队完善了《中共邵阳市公安局交通警察支队委员会“第一议题”制度》"
    result = align(value, n000.text)
    assert result.status == AlignmentStatus.EXACT
    assert result.score == 1.0
    assert result.span is not None and result.span.slice(n000.text) == value


def test_trailing_punctuation_and_spaces_are_not_part_of_the_value(n000: Notice) -> None:
    result = align("  整改结果：完成。 ", n000.text)
    assert result.status == AlignmentStatus.EXACT
    assert result.span is not None and result.span.slice(n000.text) == "整改结果：完成"


def test_half_width_punctuation_and_missing_quotes_align_normalised(n000: Notice) -> None:
    # the model wrote ASCII colon/comma and dropped the “” around 第一议题
    value = (
        "交警支队完善了《中共邵阳市公安局交通警察支队委员会第一议题制度》,明确规定在党委会、理论中心组学习"
    )
    result = align(value, n000.text)
    assert result.status == AlignmentStatus.NORMALISED
    assert result.span is not None
    assert result.span.slice(n000.text) == (
        "交警支队完善了《中共邵阳市公安局交通警察支队委员会“第一议题”制度》，明确规定在党委会、理论中心组学习"
    )


def test_transcription_slip_aligns_fuzzy_onto_the_source_words(n000: Notice) -> None:
    # 制定了 for the source's 完善了, and an extra 中 at the end
    value = "交警支队制定了《中共邵阳市公安局交通警察支队委员会“第一议题”制度》，明确规定在党委会、理论中心组学习中"
    result = align(value, n000.text)
    assert result.status == AlignmentStatus.FUZZY
    assert result.score == 0.935
    assert result.span is not None
    assert result.span.slice(n000.text).startswith("交警支队完善了《中共邵阳市")
    assert result.span.slice(n000.text).endswith("理论中心组学习")


def test_invented_value_is_not_aligned(n000: Notice) -> None:
    result = align("投入资金500万元购置执法记录仪30台", n000.text)
    assert result.status == AlignmentStatus.UNALIGNED
    assert result.span is None and not result.aligned


def test_short_values_never_align_fuzzily(n000: Notice) -> None:
    assert align("整改结束", n000.text).status == AlignmentStatus.UNALIGNED
    assert align("无此词", n000.text).status == AlignmentStatus.UNALIGNED


def test_the_record_window_wins_over_an_earlier_occurrence(n001: Notice) -> None:
    text = n001.text
    window = _window(text, "(2)针对主题教育开展不够扎实问题", "2.信访维稳工作落实不力")
    value = "重要学习内容"
    first = text.index(value)
    assert first < window.start  # the phrase also appears in the record before
    result = align(value, text, window)
    assert result.status == AlignmentStatus.EXACT
    assert result.span is not None and window.start <= result.span.start < window.end
    assert result.span.slice(text) == value
    # without the window the first occurrence is taken
    assert align(value, text).span == Span(start=first, end=first + len(value))


def test_value_outside_the_window_still_aligns_exactly_elsewhere(n001: Notice) -> None:
    text = n001.text
    window = _window(text, "(2)针对主题教育开展不够扎实问题", "2.信访维稳工作落实不力")
    value = "2022年3月15日制定了交管大队(支部)《2022年度学习计划》"
    result = align(value, text, window)
    assert result.status == AlignmentStatus.EXACT
    assert result.span is not None and result.span.start < window.start


def test_fuzzy_is_confined_to_the_window(n001: Notice) -> None:
    text = n001.text
    window = _window(text, "(2)针对主题教育开展不够扎实问题", "2.信访维稳工作落实不力")
    slip = "2022年3月15日制订了交管大队(支部)《2022年学习计划》"  # lives in the record before
    assert align(slip, text, window).status == AlignmentStatus.UNALIGNED
    assert align(slip, text).status == AlignmentStatus.FUZZY


def test_line_break_inside_a_word_is_ignored() -> None:
    text = "前言。市\n委第一巡察组对市公安局党委开展了专项巡察。"
    result = align("市委第一巡察组", text)
    assert result.status == AlignmentStatus.NORMALISED
    assert result.span == Span(start=3, end=11)
    assert result.span.slice(text) == "市\n委第一巡察组"


def test_full_width_digits_and_percent() -> None:
    text = "事故起数同比下降６.７５％，处理违法行为748人次。"
    result = align("下降6.75%", text)
    assert result.status == AlignmentStatus.NORMALISED
    assert result.span is not None and result.span.slice(text) == "下降６.７５％"


def test_empty_value() -> None:
    assert align(" 。", "任何文本").status == AlignmentStatus.UNALIGNED


def test_perturbed_measures_find_their_own_span_and_invented_ones_none(
    processed: Callable[[str], ProcessedNotice],
) -> None:
    """Model-style noise on every rules measure of the samples: width, dropped and wrong characters."""
    rng = random.Random(0)
    half = str.maketrans("，：；（）。“”", ',:;().""')
    noise: dict[str, Callable[[str], str]] = {
        "width": lambda s: s.translate(half),
        "drop": lambda s: "".join(c for c in s if rng.random() > 0.05),
        "substitute": lambda s: "".join(
            chr(rng.randint(0x4E00, 0x9FA5)) if rng.random() < 0.05 else c for c in s
        ),
        "invented": lambda s: "".join(chr(rng.randint(0x4E00, 0x9FA5)) for _ in s),
    }
    right = dict.fromkeys(noise, 0)
    aligned = dict.fromkeys(noise, 0)
    total = 0
    for prefix in ("000", "001", "002", "003", "004"):
        p = processed(prefix)
        for record in p.result.records:
            for measure in record.measures:
                total += 1
                for kind, perturb in noise.items():
                    span = align(perturb(measure.text), p.notice.text, record.source_span).span
                    aligned[kind] += span is not None
                    right[kind] += (
                        span is not None
                        and abs(span.start - measure.span.start) <= 2
                        and abs(span.end - measure.span.end) <= 2
                    )
    assert total > 250
    assert right["width"] == total
    assert right["drop"] >= 0.98 * total and right["substitute"] >= 0.98 * total
    assert aligned["invented"] == 0
