"""Citation markers are parsed in every form models write, and checked against the passages given."""

from __future__ import annotations

from assistant.qa.citations import check_citations, escape_brackets, normalise_markers, parse_citations


def test_citing_seven_of_five_passages_is_rejected() -> None:
    check = check_citations("已退回国库[7]。", n_passages=5)
    assert check.cited == [7]
    assert check.valid == []
    assert check.invalid == [7]
    assert check.grounded is False


def test_mixed_valid_and_invalid_citations() -> None:
    check = check_citations("多付税费8976元已退回国库[1]，4.54万元税费已退回[2][7]；另见[0]。", n_passages=5)
    assert check.cited == [1, 2, 7, 0]
    assert check.valid == [1, 2]
    assert check.invalid == [7, 0]
    # a fabricated source makes the whole answer untrustworthy
    assert check.grounded is False


def test_all_valid_citations_are_grounded() -> None:
    check = check_citations("一是粘贴提示语[1]；二是每辆车对应唯一加油卡[1][3]。", n_passages=3)
    assert check.valid == [1, 3]
    assert check.invalid == []
    assert check.grounded is True


def test_no_citation_is_not_grounded() -> None:
    check = check_citations("交警支队已整改到位。", n_passages=5)
    assert check.cited == []
    assert check.grounded is False


def test_marker_variants() -> None:
    text = "甲［2］乙【3】丙[1, 4]丁[1、5]戊[ 2 ]"
    assert parse_citations(text) == [2, 3, 1, 4, 5]
    assert normalise_markers(text) == "甲[2]乙[3]丙[1][4]丁[1][5]戊[2]"


def test_document_numbers_are_not_citations() -> None:
    # 001 writes 文号 as "以[13]号文件"; quoted in an answer it must not count as citing passage 13
    assert parse_citations("县联席会议办公室以[13]号文件要求整改[2]") == [2]
    assert parse_citations("根据新政办〔2023〕28号文件") == []
    assert escape_brackets("以[13]号文件") == "以〔13〕号文件"
