"""Evidence finders on the rubric's own examples (DESIGN.md, "Concrete or vague")."""

from __future__ import annotations

import pytest

from assistant.evidence import find_evidence


def _found(text: str) -> list[tuple[str, str]]:
    return [(e.type.value, e.text) for e in find_evidence(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("购置了30台新能源公交车", [("quantity", "30台")]),
        # money moved is checkable by its amount; "退回国库" alone would not be (a refund without an amount)
        ("多付税费8976元已退回国库", [("money", "8976元")]),
        ("开展全覆盖的谈心谈话748人次", [("quantity", "748人次")]),
        (
            "2022年以来农村道路事故419起，与去年同期比下降6.75%",
            [("quantity", "419起"), ("quantity", "6.75%")],
        ),
        ("罚款16.4万元", [("money", "16.4万元")]),
        ("完成投资6640万元", [("money", "6640万元")]),
    ],
)
def test_numbers_with_units_and_money(text, expected):
    assert _found(text) == expected


def test_date_tied_to_a_done_action_is_evidence():
    assert ("date", "2022年3月15日") in _found("一是2022年3月15日制定了交管大队(支部)《2022年度学习计划》")


def test_promised_deadline_is_not_evidence():
    assert _found("计划于2025年6月前彻底完成资产盘点") == []
    assert _found("将于年底前完成") == []


def test_document_created_is_evidence_but_cited_basis_is_not():
    assert _found("制定《邵阳市公安局交通警察支队道路交通事故认定复核工作规范》") == [
        ("document", "《邵阳市公安局交通警察支队道路交通事故认定复核工作规范》")
    ]
    assert (
        _found("根据《新野县网络预约出租汽车经营服务管理暂行办法实施细则》（新政办[2018]45 号）文件精神")
        == []
    )
    assert _found("组织民辅警重新学习《交通警察道路执勤执法工作规范》") == []


def test_personnel_actions():
    assert _found("免去对文书案卷审核把关不严的法规股负责人职务") == [
        ("personnel_action", "免去对文书案卷审核把关不严的法规股负责人职务")
    ]
    assert ("personnel_action", "诫勉谈话") in _found("局党组作出对相关责任人诫勉谈话的决定")
    assert _found("对相关民辅警进行追责处理") == []


def test_physical_changes():
    assert _found("设立了涉案财物保管室") == [("physical_change", "设立了涉案财物保管室")]
    assert ("physical_change", "加装大货车禁行标志和视频抓拍系统") in _found(
        "二中门口已加装大货车禁行标志和视频抓拍系统"
    )


def test_generic_words_are_not_evidence():
    assert _found("强化质量意识，落实质量监管责任制，做好项目排查整改工作，涉及问题全部得到有效处理") == []
    assert _found("进一步完善公务用车管理规定和车辆费用票据手续") == []
    assert _found("每季度开展一次全员培训和考试") == []


def test_spans_are_offset_into_the_notice():
    (ev,) = find_evidence("罚款600元", offset=100)
    assert (ev.span.start, ev.span.end) == (102, 106)


def test_moving_things_out_is_a_physical_change():
    assert _found("二是将超标准配置办公用已搬移至会议室") == [("physical_change", "搬移至会议室")]
