"""Reading the measures for a query: money events with amounts, personnel steps, dates (sentences
written for these tests)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from assistant.models import Measure, Span
from assistant.qa.execute import date_range_of, dated, money_events, personnel_hits
from assistant.qa.query import DateRange, MoneyAction, PersonnelAction


def measure(text: str, start: int = 100) -> Measure:
    return Measure(text=text, span=Span(start=start, end=start + len(text)))


def test_money_returned_with_its_amount_and_span() -> None:
    m = measure("一是2023年5月6日已将多发的加班补贴3600元退回财政，二是对相关人员进行了提醒谈话")
    (event,) = money_events(m)
    assert event.action == MoneyAction.RETURNED
    assert (event.amount_text, event.yuan) == ("3600元", Decimal(3600))
    assert event.quote == "一是2023年5月6日已将多发的加班补贴3600元退回财政"
    assert event.span == Span(start=100, end=100 + len(event.quote))


def test_amount_in_the_clause_before_the_verb() -> None:
    (event,) = money_events(measure("对多列支的2.5万元培训费，承办公司已全额退还"))
    assert (event.action, event.yuan) == (MoneyAction.RETURNED, Decimal(25000))
    assert event.quote == "2.5万元培训费，承办公司已全额退还"


def test_fines_recoveries_and_what_is_not_money_returned() -> None:
    fine, recovered = money_events(measure("查处违规运输案件12起，罚款3.2万元；违规领取的补助已全部追回"))
    assert (fine.action, fine.yuan) == (MoneyAction.FINED, Decimal(32000))
    assert (recovered.action, recovered.yuan) == (MoneyAction.RECOVERED, None)
    for text in (
        "抽调的3名民警已全部退回原中队",  # people, not money
        "决定将多收的押金退还给群众",  # decided, not done
        "确保违规资金追缴到位",  # a goal
        "每月10日前足额收缴党费",  # routine dues
    ):
        assert money_events(measure(text)) == [], text


def test_personnel_steps_on_the_units_own_people() -> None:
    hits = personnel_hits(measure("对负有责任的财务股长进行诫勉谈话，免去其财务股长职务，调离财务岗位"))
    assert [h.action for h in hits] == [
        PersonnelAction.ADMONITION,
        PersonnelAction.DISMISSAL,
        PersonnelAction.TRANSFER,
    ]
    for text in (
        "约谈辖区12家物流企业负责人",  # enterprises it regulates
        "共约谈32家快递、外卖企业",  # the list after 、 still belongs to the verb
        "组织学习《中国共产党纪律处分条例》",  # a title
        "通报了近年来3名干部受到党纪处分的情况，开展警示教育",  # a warning case
        "班子成员开展批评与自我批评",  # a meeting practice
        "建立“考核不合格人员调岗”等管理制度",  # a quoted rule
    ):
        assert personnel_hits(measure(text)) == [], text


def test_dates_in_a_measure_within_a_range() -> None:
    november = DateRange(start=dt.date(2024, 11, 1), end=dt.date(2024, 11, 30))
    m = measure("2024年11月12日印发《财务管理办法》，12月5日完成培训，2024年10月底前完成自查")
    assert [text for text, _ in dated(m, november)] == ["2024年11月12日"]
    assert date_range_of("2024年2月") == DateRange(start=dt.date(2024, 2, 1), end=dt.date(2024, 2, 29))
    assert date_range_of("3月5日") is None  # no year: no date to compare
