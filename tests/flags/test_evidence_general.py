"""Evidence by open categories (STRUCTURES.md §4), on sentences written for these tests."""

from __future__ import annotations

import pytest

from assistant.evidence import find_evidence, measures_with_evidence
from assistant.models import Span


def found(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in find_evidence(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # numbers with any classifier, Arabic or Chinese numerals
        ("为社区配备了灭火器40具和应急灯6盏", [("quantity", "6盏")]),
        ("对四位村干部开展了廉政谈话", [("quantity", "四位")]),
        # an ordinal or a rate is not a count, at the start of the text or inside it
        ("三名同志参加，第三名同志请假，每两人结对", [("quantity", "三名")]),
        ("两名会计人员调整到其他岗位", [("quantity", "两名"), ("personnel_action", "调整到其他岗位")]),
        ("清理僵尸账户17个，注销银行账户3户", [("quantity", "17个"), ("quantity", "3户")]),
        # fixed dates the unit set
        ("明确每月十五日为机关学习日", [("date", "每月十五日为")]),
        ("确定每周三为窗口服务开放日", [("date", "每周三为")]),
        # object before its verb
        ("机关食堂原有的包间已取消", [("physical_change", "机关食堂原有的包间已取消")]),
        ("乡镇便民服务队正式组建", [("physical_change", "乡镇便民服务队正式组建")]),
        # disciplinary steps
        ("对该所所长立案审查", [("personnel_action", "立案审查")]),
        ("给予负有责任的工作人员党内严重警告处分", [("personnel_action", "党内严重警告")]),
        # documents the unit made, named by title or number
        ("印发了《公务接待管理办法》", [("document", "《公务接待管理办法》")]),
        ("《项目资金管理细则》已于近期印发", [("document", "《项目资金管理细则》")]),
        # reassigning a task to a named body or post
        ("明确综合股负责合同审查", [("physical_change", "明确综合股")]),
    ],
)
def test_concrete_specifics(text: str, expected: list[tuple[str, str]]) -> None:
    assert sorted(found(text)) == sorted(expected)


@pytest.mark.parametrize(
    "text",
    [
        "每季度开展1次专项检查",  # a frequency promise, however written
        "每半年开展一次督导",
        "按照要求每年开展2次以上警示教育",  # a requirement quoted from the basis
        "由当事人自行退回",  # a refund without an amount
        "多收款项上缴财政",  # money moved without an amount
        "根据《党内监督条例》，认真开展监督",  # a document cited as the basis
        "制定相关规范性文件",  # a document named only by its subject
        "组织学习“四个意识”相关内容",  # a number inside a name
        "建立健全长效机制，完善工作流程",  # change of an abstraction
        "调整完善相关制度",
        "对相关责任人严肃处理",  # a bare 严肃处理 names no step
        "计划于年底前完成5处改造",  # a planned count
        "召开一次专题会议",  # one unspecified meeting
    ],
)
def test_not_evidence(text: str) -> None:
    assert found(text) == []


def test_evidence_is_shared_out_to_the_measure_that_holds_it() -> None:
    text = "一是拆除违建2处。二是加强巡查。三是对1名网格员诫勉谈话。"
    pieces = [
        ("拆除违建2处", Span(start=2, end=8)),
        ("加强巡查", Span(start=11, end=15)),
        ("对1名网格员诫勉谈话", Span(start=18, end=28)),
    ]
    measures = measures_with_evidence(text, pieces)
    assert [[e.text for e in m.evidence] for m in measures] == [["2处"], [], ["1名", "诫勉谈话"]]
    assert all(text[e.span.start : e.span.end] == e.text for m in measures for e in m.evidence)
