"""Offline answers on the real samples: the exact record quoted, spans that slice the notice, refusals."""

from __future__ import annotations

from assistant.qa import answer
from assistant.qa.models import NO_LLM_BANNER, NOT_FOUND_TEXT


def test_amount_and_date_quoted_from_the_source_record(sample_store, notice_text) -> None:
    a = answer("望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？", sample_store)
    assert a.mode == "extractive"
    assert a.grounded is True
    assert a.banner == NO_LLM_BANNER
    assert a.text == "二是4月5日已将中央隔离护栏赔付款8250元上交国库[1]"
    (c,) = a.citations
    assert c.n == 1
    assert c.source_name == "001_3fc582a97ef44a37.txt"
    assert c.record_id == "(二)-10-22)"
    assert "针对内控机制执行不严问题" in c.outline_path[-1]
    (q,) = c.quotes
    text = notice_text("001")
    assert text[q.start : q.end] == "二是4月5日已将中央隔离护栏赔付款8250元上交国库"
    assert text[c.span.start : c.span.end] == c.passage


def test_measures_question_quotes_the_measures_of_one_record(sample_store, notice_text) -> None:
    a = answer("邵阳交警支队为防止公务车辆超标号加油采取了哪些措施？", sample_store)
    assert a.mode == "extractive"
    assert [c.record_id for c in a.citations] == ["(二)-5"]
    assert "92#" in a.text and "唯一加油卡" in a.text and "每季度对加油记录进行细致核查" in a.text
    text = notice_text("000")
    quoted = [text[q.start : q.end] for q in a.citations[0].quotes]
    assert all(f"{q}[1]" in a.text for q in quoted)
    assert "5.车辆燃油使用不规范。" not in quoted  # the problem heading is not a measure


def test_question_naming_two_notices_quotes_each(sample_store) -> None:
    a = answer("祁阳和新野两个交通运输局在行政执法规范方面各做了什么？", sample_store)
    assert a.mode == "extractive"
    assert {c.source_name[:3] for c in a.citations} == {"002", "004"}


def test_questions_the_notices_do_not_answer_are_declined(sample_store) -> None:
    for question in (
        "张家界交警支队对无人机执法有什么规定？",
        "邵阳交警支队共有多少名党员？",
        "这些通报里提到的高铁站建设进度如何？",
    ):
        a = answer(question, sample_store)
        assert a.mode == "none", question
        assert a.text == NOT_FOUND_TEXT
        assert a.grounded is False
        assert a.citations == []
