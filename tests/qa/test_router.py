"""Offline routing: which questions become record queries, and with which filters."""

from __future__ import annotations

import datetime as dt

import pytest

from assistant.models import EvidenceType, FlagCode, Status
from assistant.qa.execute import organisation_ids
from assistant.qa.query import TALKS, DateRange, MoneyAction, PersonnelAction, Target
from assistant.qa.router import has_set_frame, route


@pytest.fixture(scope="module")
def results(sample_store):
    return sample_store.results()


def ids(results, *prefixes: str) -> list[str]:
    return [r.notice_id for p in prefixes for r in results if r.source_name.startswith(p)]


def test_vague_claims_and_flags(results) -> None:
    q = route("有哪些问题号称已经整改完毕，可措施很笼统？", results)
    assert q is not None and (q.flags, q.statuses, q.any_flag) == ([FlagCode.VAGUE_COMPLETION], [], False)
    q = route("哪些记录写得不具体？", results)
    assert q is not None and q.flags == [FlagCode.GENERIC_ONLY, FlagCode.VAGUE_COMPLETION]
    q = route("请列出需要进一步核查的整改记录。", results)
    assert q is not None and q.any_flag
    q = route("哪些事项报了已完成，但实际措施都是空话？", results)
    assert q is not None and q.flags == [FlagCode.VAGUE_COMPLETION]
    q = route("邵阳交警哪些事还没彻底办完？", results)
    assert q is not None and q.statuses == [Status.PARTIAL, Status.IN_PROGRESS]
    q = route("望江交管大队有几条需要跟进核查的记录？", results)
    assert q is not None and (q.target, q.any_flag, q.notice_ids) == (Target.COUNT, True, ids(results, "001"))


def test_money_questions(results) -> None:
    q = route("哪些单位收回了违规发放的钱？", results)
    assert q is not None and (q.target, q.money) == (Target.UNITS, [MoneyAction.RECOVERED])
    q = route("祁阳市交通运输局清退的资金合计多少元？", results)
    assert q is not None and (q.target, q.money, q.notice_ids) == (
        Target.SUM,
        [MoneyAction.RETURNED],
        ids(results, "002"),
    )
    q = route("各单位的罚款加起来有多少？", results)
    assert q is not None and (q.target, q.money, q.by_unit) == (Target.SUM, [MoneyAction.FINED], True)


def test_personnel_documents_dates_rounds(results) -> None:
    q = route("新野县交通运输局有没有人被撤职？", results)
    assert q is not None and q.personnel == [PersonnelAction.DISMISSAL]
    q = route("哪些问题的整改里有谈话？", results)
    assert q is not None and q.personnel == TALKS
    q = route("哪些单位对责任人作出了处理？", results)
    assert q is not None and (q.target, q.personnel) == (Target.UNITS, [])
    q = route("张家界交警支队印发了哪些办法？", results)
    assert q is not None and q.evidence == [EvidenceType.DOCUMENT]
    q = route("2024年10月有哪些整改措施？", results)
    assert q is not None and q.dates == DateRange(start=dt.date(2024, 10, 1), end=dt.date(2024, 10, 31))
    assert q.notice_dates is None
    q = route("第八轮巡察中阶段性完成的问题有几个？", results)
    assert q is not None and (q.round, q.statuses, q.target) == (8, [Status.PARTIAL], Target.COUNT)


def test_years_units_and_topics(results) -> None:
    q = route("2023年的通报里哪些问题还没整改完？", results)
    assert q is not None
    assert q.notice_dates == DateRange(start=dt.date(2023, 1, 1), end=dt.date(2023, 12, 31))
    assert q.statuses == [Status.PARTIAL, Status.IN_PROGRESS]
    q = route("哪些交警支队有存疑的记录？", results)
    assert q is not None and (q.target, q.organisations, q.notice_ids) == (Target.UNITS, ["交警支队"], [])
    assert set(organisation_ids(["交警支队"], results)) == set(ids(results, "000", "003"))
    assert set(organisation_ids(["交通运输局"], results)) == set(ids(results, "002", "004"))
    assert set(organisation_ids(["望江交管大队"], results)) == set(ids(results, "001"))
    q = route("关于公务用车的问题有哪些被标记为存疑？", results)
    assert q is not None and (q.words, q.any_flag) == (["公务用车"], True)


def test_questions_left_to_retrieval(results) -> None:
    for question in (
        "望江交管大队对涉案财物丢失问题是怎么整改的？",
        "祁阳市交通运输局新设立了多少块永久性标志牌？",
        "邵阳交警支队2025年的财政预算是多少？",
        "新野县交通运输局对法规股负责人作了什么处理？",
        "哪些通报提到了劝导机器人？",
    ):
        assert route(question, results) is None, question
    assert not has_set_frame("赔付款是多少，什么时候上交国库的？")
    assert has_set_frame("哪些单位退回了资金？")
