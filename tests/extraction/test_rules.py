"""The rules extractor on the real sample notices: exact records, statuses, measures."""

from __future__ import annotations

from collections import Counter

from assistant.models import Record, Status


def _by_problem(records: list[Record], problem: str) -> Record:
    (record,) = [r for r in records if r.problem == problem]
    return record


def test_000_nine_records_eight_completed_one_partial(processed):
    records = processed("000").result.records
    assert len(records) == 9
    assert Counter(r.status for r in records) == {Status.COMPLETED: 8, Status.PARTIAL: 1}
    last = records[-1]
    assert (last.problem, last.status, last.status_text) == (
        "基层党组织建设存在短板",
        Status.PARTIAL,
        "整改结果：阶段性完成",
    )


def test_000_record_fields(processed):
    notice = processed("000").notice
    fuel = _by_problem(processed("000").result.records, "车辆燃油使用不规范")
    assert fuel.record_id == "(二)-5"
    assert fuel.category == "聚焦群众身边腐败问题和不正之风情况"
    assert fuel.parent_problem is None
    assert len(fuel.measures) == 3
    assert fuel.measures[0].text.startswith("在所有公务车辆加油卡上粘贴“限加92#（95#）汽油”提示语")
    assert fuel.measures[2].text == "每季度对加油记录进行细致核查，防止类似违规行为再次发生"
    # every value is traceable to its span in the normalised notice
    assert fuel.problem_span.slice(notice.text) == fuel.problem
    for measure in fuel.measures:
        assert measure.span.slice(notice.text) == measure.text
    assert notice.text[fuel.source_span.start :].startswith("5.车辆燃油使用不规范")


def test_001_sub_problems_with_parent_and_wrapper_stripped(processed):
    records = processed("001").result.records
    assert len(records) == 30
    first = records[0]
    assert first.problem == "学习习近平新时代中国特色社会主义思想和党的十九大精神次数少"
    assert first.parent_problem == "理论学习有差距"
    assert first.category == "基层贯彻落实党的路线方针政策和党中央决策部署情况"
    assert first.record_id == "(一)-1-1)"
    assert records[1].record_id == "(一)-1-(2)"
    assert records[1].problem == "主题教育开展不够扎实"
    # 19): "一是…；是结合…" — the dropped numeral still separates two measures
    travel = _by_problem(records, "超标准报销出差费用")
    assert [m.text for m in travel.measures] == [
        "多报金额上交国库",
        "结合《交管大队财务管理规定》，开展业务人员财务管理培训，进一步规范了财务报账制度",
    ]


def test_002_categories_are_top_level_areas(processed):
    records = processed("002").result.records
    assert len(records) == 24
    assert (
        records[0].category
        == "贯彻落实党的路线方针政策和党中央、省市委决策部署不到位，局党组班子担当作为不够"
    )
    assert records[0].record_id == "一-(一)"
    crackdown = _by_problem(records, "交通顽瘴痼疾整治效果欠佳")
    assert len(crackdown.measures) == 1  # one undivided paragraph of action


def test_003_fifteen_records(processed):
    records = processed("003").result.records
    assert len(records) == 15
    assert [r.problem for r in records[:2]] == ["主体责任落实不力", "执法不规范问题突出"]
    assert records[-1].deadline == "2025年6月前"


def test_004_quoted_problems_and_groups(processed):
    records = processed("004").result.records
    assert len(records) == 8
    # a quoted heading "关于“标题。说明”问题" gives the headline; the explanation is kept apart
    assert records[0].problem == "网约车审批至今未开展"
    assert records[0].problem_detail.startswith("交通运输局党组工作全局性不强")
    assert records[0].problem_detail.endswith("未针对网约车审批问题作出回应")
    assert [r.category for r in records] == ["整改中存在的主要问题"] * 5 + ["新发现的突出问题"] * 3
    assert records[5].problem == "二级单位公务用车管理不严格"
    quality = _by_problem(records, "项目建设实施质量把关不严")
    assert quality.status == Status.COMPLETED
    assert quality.status_text == "全部得到有效处理"


def test_record_round_trips_through_json(processed):
    for record in processed("001").result.records:
        assert Record.model_validate_json(record.model_dump_json()) == record
