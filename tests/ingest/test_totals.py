"""Every totals wording of STRUCTURES.md §2, in sentences written for these tests."""

from __future__ import annotations

import pytest

from assistant.ingest.normalise import normalise
from assistant.ingest.totals import parse_totals

KEYS = ("areas", "problems", "specific_problems", "completed", "partial", "in_progress")


def read(sentence: str) -> dict[str, int] | str | None:
    text = normalise(sentence)[0]
    t = parse_totals(text)
    if t is None:
        return None
    assert t.span.slice(text) == t.text
    return "unreadable" if t.unreadable else {k: getattr(t, k) for k in KEYS if getattr(t, k) is not None}


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "县委巡察组反馈问题3个方面12个，已完成整改10个，阶段性完成2个。",
            {"areas": 3, "problems": 12, "completed": 10, "partial": 2},
        ),
        ("巡察组指出4个方面、16个主要问题。", {"areas": 4, "problems": 16}),
        ("巡察反馈3大项14小项，均已完成整改14项。", {"areas": 3, "specific_problems": 14, "completed": 14}),
        (
            "巡察反馈整改任务30项，已完成整改21个、正在整改9个。",
            {"problems": 30, "completed": 21, "in_progress": 9},
        ),
        (
            "巡察反馈问题11个，已完成整改8个、基本完成整改3个。",
            {"problems": 11, "completed": 8, "partial": 3},
        ),
        ("市委巡察组共反馈19个具体问题。目前已完成整改19个。", {"specific_problems": 19, "completed": 19}),
        ("第二巡察组向局党组反馈了2个方面7个问题。", {"areas": 2, "problems": 7}),
        (
            "巡察反馈问题2个方面6个，“已完成，同意销号”5个，“视同完成，持续整改”1个。",
            {"areas": 2, "problems": 6, "completed": 5, "partial": 1},
        ),
        (
            "截至6月底，巡察反馈的三个方面九个问题，已整改到位七个，正在推进两个。",
            {"areas": 3, "problems": 9, "completed": 7, "in_progress": 2},
        ),
    ],
)
def test_totals_wordings(sentence: str, expected: dict[str, int]) -> None:
    assert read(sentence) == expected


def test_numbers_lost_in_publishing_are_unreadable_never_guessed() -> None:
    assert read("反馈意见指出313个方面8个问题。") == "unreadable"  # was "3个方面13个…"
    assert read("巡察反馈问题9个，已完成整改9个，阶段性完成3个。") == "unreadable"  # 12 of 9


def test_self_raised_and_transferred_items_are_not_the_inspections_totals() -> None:
    assert read("局党组开展自查，查摆问题15个，已整改15个。") is None
    assert read("大队检查督导8次，共发现问题5个，整改5个。") is None


def test_a_second_statement_that_disagrees_is_kept() -> None:
    text = normalise(
        "巡察反馈问题3个方面10个，已完成整改8个。整改工作中，针对巡察反馈的3个方面11个问题逐项制定措施。"
    )[0]
    totals = parse_totals(text)
    assert (totals.problems, totals.completed) == (10, 8)
    assert totals.other_text is not None and "11个问题" in totals.other_text


def test_the_statement_with_progress_is_preferred_when_the_first_gives_only_the_scope() -> None:
    text = normalise(
        "巡察组向院党委反馈了2个方面6个问题。院党委对照反馈的2个方面6个问题制定方案。截至9月，6个问题中已完成整改5个，阶段性完成1个。"
    )[0]
    totals = parse_totals(text)
    assert (totals.areas, totals.problems, totals.completed, totals.partial) == (2, 6, 5, 1)
