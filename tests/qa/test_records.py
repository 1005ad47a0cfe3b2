"""Set, count and sum questions answered from the records table, each record cited by its chunk."""

from __future__ import annotations

from decimal import Decimal

from assistant.models import Status
from assistant.qa import answer
from assistant.qa.query import MoneyAction, Target


def test_partial_completions_in_one_notice(sample_store) -> None:
    a = answer("邵阳交警支队有哪些问题是阶段性完成的？", sample_store)
    assert a.mode == "records"
    assert a.grounded is True
    assert "阶段性完成”的问题共1个（共抽取9条记录）" in a.text
    assert "1. 基层党组织建设存在短板（阶段性完成）[1]" in a.text
    # the notice's own claim is quoted beside the count
    assert "“巡察反馈的9个具体问题，整改完成8个，阶段性完成1个”[2]" in a.text
    assert [c.record_id for c in a.citations] == ["(三)-9", None]


def test_partial_completions_over_all_samples_match_the_records_table(sample_store) -> None:
    partial = [r for r in sample_store.records() if r.status == Status.PARTIAL]
    a = answer("哪些问题是阶段性完成的？", sample_store)
    assert a.mode == "records"
    assert f"全部 5 份通报中状态为“阶段性完成”的问题共{len(partial)}个（共抽取86条记录）" in a.text
    assert len(a.citations) == len(partial)
    assert {(c.notice_id, c.record_id) for c in a.citations} == {(r.notice_id, r.record_id) for r in partial}
    assert "基层党组织建设存在短板" in a.text and "巡察整改不彻底" in a.text


def test_flagged_count_for_one_unit_names_flags_in_chinese(sample_store) -> None:
    a = answer("新野县交通运输局有多少个问题被标记为存疑？", sample_store)
    assert a.mode == "records"
    assert a.records is not None and a.records.query.target == Target.COUNT
    assert "被标记为存疑的问题共4个" in a.text
    assert "4. 项目建设实施质量把关不严（完成，标记：声称完成但措施空泛、措施均为一般性表述）[4]" in a.text
    assert "vague_completion" not in a.text and "generic_only" not in a.text
    assert [c.record_id for c in a.citations] == ["(一)-1", "(一)-5", "(2)-1", "(2)-3"]
    assert {c.source_name for c in a.citations} == {"004_fb4d16d8d0ed6c2d.txt"}
    # every measure of 张家界's records holds a specific: nothing to flag there
    none = answer("张家界交警支队有多少个问题被标记为存疑？", sample_store)
    assert "被标记为存疑的问题共0个" in none.text
    assert "没有符合条件的记录。" in none.text


def test_the_headline_question_lists_the_three_vague_completions(sample_store) -> None:
    a = answer("哪些整改声称完成但措施空泛？", sample_store)
    assert a.mode == "records"
    assert (
        a.text.splitlines()[0]
        == "按抽取的记录表，全部 5 份通报中声称完成但措施空泛的问题共3个（共抽取86条记录）。"
    )
    assert [r.problem for r in a.records.rows] == [
        "交警支队个别民辅警履职能力有待增强",
        "职级晋升任免权限不合规",
        "项目建设实施质量把关不严",
    ]
    assert [c.n for c in a.citations] == [1, 2, 3]
    # the passage highlights what the flag rests on: the claim and the generic wording
    notice = sample_store.get_notice(a.citations[1].notice_id)
    assert [q.slice(notice.text) for q in a.citations[1].quotes] == ["整改结果：完成", "严格", "强化", "规范"]
    same = answer("哪些问题整改完成了但缺少具体措施？", sample_store)
    assert [r.problem for r in same.records.rows] == [r.problem for r in a.records.rows]


def test_money_returned_is_listed_per_unit_with_amounts_in_yuan(sample_store) -> None:
    a = answer("哪些单位追缴或退回了资金？", sample_store)
    assert a.records is not None and a.records.query.target == Target.UNITS
    assert a.text.startswith(
        "按抽取的记录表，全部 5 份通报中有资金追缴、退回或上交的问题共11个，涉及4个单位："
    )
    assert "望江县公安局交通管理大队 · 日期未注明（5个，写明金额合计64246元（6.4246万元））" in a.text
    assert "其中3条写明了金额，合计64246元（6.4246万元）；其余未写明金额。" in a.text
    assert "退回或上交 45400元（4.54万元）：“4.54万元税费，" in a.text
    assert "追缴 金额未写明：“对不正常上班的1名工作人员发放的奖金补助等资金已追缴到位”" in a.text
    # every row is cited, and the quote highlighted is the money clause
    assert len(a.citations) == 11
    notice = sample_store.get_notice(a.citations[3].notice_id)
    quoted = [q.slice(notice.text) for q in a.citations[3].quotes]
    assert quoted == [
        "2022年3月23日望江县天盾劳务派遣有限公司多付税费8976元已退回国库",
        "4.54万元税费，安徽康辉建筑工程有限公司财务部门已按要求退回大队多支付税款",
    ]


def test_money_sum_counts_only_amounts_stated(sample_store) -> None:
    a = answer("望江交管大队退回或上交的资金一共多少元？", sample_store)
    result = a.records
    assert result is not None and result.query.target == Target.SUM
    assert result.query.money == [MoneyAction.RETURNED]
    assert result.total_yuan == Decimal("64246")
    assert [r.yuan for r in result.rows] == [Decimal("8250"), Decimal("54376"), Decimal("1620")]
    assert a.text.splitlines()[0] == (
        "按抽取的记录表，望江县公安局交通管理大队 · 日期未注明中有资金退回或上交并写明金额的记录共3条，"
        "合计64246元（6.4246万元）；另有2条记录未写明金额。"
    )
    fines = answer("罚款金额一共多少？", sample_store).records
    assert fines is not None and fines.total_yuan == Decimal("374600")


def test_personnel_steps_and_their_absence(sample_store) -> None:
    a = answer("有谁被免职或者调离岗位了？", sample_store)
    assert [r.problem for r in a.records.rows] == [
        "交通工程建设领域把关不严存在廉洁风险隐患",
        "未严格落实省市交通行政执法裁量标准",
    ]
    assert "免职：“免去对文书案卷审核把关不严的法规股负责人职务”；\n   调离岗位：“调离执法中队工作”" in a.text
    none = answer("邵阳交警支队有人被诫勉谈话吗？", sample_store)
    assert none.mode == "records" and none.records.rows == []
    assert none.grounded is True  # nothing claimed, nothing to cite


def test_what_is_not_a_records_question(sample_store) -> None:
    for question in (
        "新野县完成了多少座危桥改建？",  # counting bridges, not problems
        "望江县目前有多少台制式校车？",
        "望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？",  # one record's detail
        "哪个单位因为巡察整改不力被省纪委通报批评？",  # the unit itself sanctioned
        "邵阳交警支队让民辅警重新学习了哪些执法规范？",  # studied, not made
    ):
        assert answer(question, sample_store).mode != "records", question


def test_organisation_filter_narrows_the_records_table(sample_store) -> None:
    from assistant.store import SearchFilters

    a = answer("有多少个问题被标记为存疑？", sample_store, filters=SearchFilters(organisation="新野"))
    assert a.mode == "records"
    assert a.text.startswith(
        "按抽取的记录表，中共新野县交通运输局党组 · 2024年6月3日 · 十三届县委第八轮巡察中被标记为存疑的问题共4个（共抽取8条记录）。"
    )
    assert {c.source_name for c in a.citations} == {"004_fb4d16d8d0ed6c2d.txt"}
