"""Records by structure (STRUCTURES.md §1), on short notices written for these tests."""

from __future__ import annotations

import pytest

from assistant.models import FlagCode, Status

HEAD = "中共某县测试局党组关于巡察整改进展情况的通报\n根据县委统一部署，县委第一巡察组对县测试局党组开展了常规巡察，现将整改情况通报如下。\n"
ORG = "一、加强组织领导，压实整改责任\n（一）统一思想认识。党组召开专题会议，针对反馈的3个问题逐项制定整改措施。\n（二）强化督促检查。纪检组跟踪督办。\n"
TAIL = "三、下一步工作打算\n党组将持续巩固整改成果。\n欢迎广大干部群众监督。联系电话：0000-1234567。\n"


def problems(result) -> list[str]:
    return [r.problem for r in result.records]


@pytest.mark.parametrize(
    "label",
    [
        "整改情况：",
        "整改成效:",
        "整改措施",
        "整改进展：",
        "整改落实情况：",
        "整改措施及成效：",
        "落实情况：",
        "【整改情况】",
    ],
)
def test_labels_are_an_open_family(from_text, label: str) -> None:
    text = (
        HEAD
        + ORG
        + f"二、整改进展情况\n（一）档案管理不规范\n{label}一是补录档案86卷。二是加强日常管理。\n"
        + TAIL
    )
    result = from_text(text)
    assert problems(result) == ["档案管理不规范"]
    assert len(result.records[0].measures) == 2
    assert result.records[0].category is None  # "整改进展情况" wraps the records, it names no area


def test_records_with_no_label(from_text) -> None:
    text = (
        HEAD
        + ORG
        + (
            "二、作风建设方面\n"
            "（1）关于会议室长期闲置的问题。一是将会议室改为档案室。二是清退外单位占用物品。\n"
            "（2）议事规则执行不严的问题\n修订了《党组会议议事规则》，明确议题申报程序。\n"
        )
        + TAIL
    )
    result = from_text(text)
    assert problems(result) == ["会议室长期闲置", "议事规则执行不严"]
    assert [len(r.measures) for r in result.records] == [2, 1]
    assert {r.category for r in result.records} == {"作风建设"}


def test_heading_is_the_problem_and_its_sub_items_are_measures(from_text) -> None:
    text = (
        HEAD
        + ORG
        + (
            "二、关于“窗口服务意识不强。群众反映办事多头跑”问题的整改情况\n"
            "（一）推行一次告知。印发《窗口服务一次告知清单》。\n"
            "（二）开展作风整顿。对2名窗口人员进行提醒谈话。\n"
            "通过整改，该问题已整改到位。\n"
        )
        + TAIL
    )
    (record,) = from_text(text).records
    assert record.problem == "窗口服务意识不强"
    assert record.problem_detail == "群众反映办事多头跑"
    assert len(record.measures) == 2 and record.status == Status.COMPLETED


def test_wenti_numbering_under_area_headings(from_text) -> None:
    text = (
        HEAD
        + ORG
        + (
            "二、巡察反馈问题整改进展情况\n（一）关于“党的建设”方面\n"
            "问题1：支部换届不及时。\n整改措施：已于2024年5月完成换届选举。\n"
            "问题二：党费收缴不规范。\n整改措施：明确每月五日为党费收缴日。\n"
        )
        + TAIL
    )
    result = from_text(text)
    assert problems(result) == ["支部换届不及时", "党费收缴不规范"]
    assert {r.category for r in result.records} == {"党的建设"}
    assert [r.record_id for r in result.records] == ["(一)-问题1", "(一)-问题2"]


def test_symptoms_before_the_label_and_problems_over_two_sentences(from_text) -> None:
    text = (
        HEAD
        + ORG
        + (
            "二、整改进展情况\n"
            "1.学习制度执行不严。一是学习计划未按期制定。二是笔记内容雷同。\n整改成效：一是制定了2024年学习计划。\n"
            "2.关于台账管理混乱，资料缺失。部分项目无验收记录的问题。\n整改成效：补齐验收记录14份。\n"
        )
        + TAIL
    )
    result = from_text(text)
    assert problems(result) == ["学习制度执行不严", "台账管理混乱，资料缺失。部分项目无验收记录"]
    assert [len(r.measures) for r in result.records] == [1, 1]


def test_inline_items_inherit_their_group_status(from_text) -> None:
    text = (
        HEAD
        + ORG
        + (
            "二、整改进展情况\n"
            "（1）已完成整改2个，分别是：1-1，食堂采购不规范的问题。整改情况：制定《食堂采购管理办法》。1-2，车辆管理混乱的问题。整改情况：加强车辆管理。\n"
            "（2）阶段性完成1个：2-1、历史欠款未清收的问题。整改情况：已追回欠款3.2万元，其余正在诉讼。\n"
        )
        + TAIL
    )
    result = from_text(text)
    assert problems(result) == ["食堂采购不规范", "车辆管理混乱", "历史欠款未清收"]
    assert [r.status for r in result.records] == [Status.COMPLETED, Status.COMPLETED, Status.PARTIAL]
    assert [r.record_id for r in result.records] == ["(1)-1-1", "(1)-1-2", "(2)-2-1"]
    vague = [r.problem for r in result.records if FlagCode.VAGUE_COMPLETION in {f.code for f in r.flags}]
    assert vague == ["车辆管理混乱"]


def test_organisational_sections_are_never_records(from_text) -> None:
    result = from_text(
        HEAD + ORG + "二、整改进展情况\n（一）印章管理不严\n整改情况：制定印章使用登记簿。\n" + TAIL
    )
    assert problems(result) == ["印章管理不严"]


def test_a_feedback_notice_gives_no_records_and_says_so(from_text) -> None:
    text = HEAD + (
        "一、巡察发现的主要问题\n（一）党建工作方面\n1.支部组织生活不规范。部分支部未按期召开组织生活会。\n"
        "2.党员教育管理不严。个别党员长期不参加学习。\n二、巡察建议\n巡察组建议，要切实加强党的建设。\n"
    )
    result = from_text(text)
    assert result.records == []
    (flag,) = [f for f in result.flags if f.code == FlagCode.NO_RECORDS]
    assert "2个是问题" in flag.reason and "没有整改情况" in flag.reason


def test_a_plan_gives_no_records_and_says_so(from_text) -> None:
    text = HEAD.replace("整改进展情况的通报", "反馈问题整改方案") + (
        "一、问题清单\n1.食堂账目不清。\n整改措施：将于2025年3月前完成账目清理。\n责任领导：副局长\n完成时限：2025年3月底\n"
        "2.合同管理不规范。\n整改措施：计划修订合同管理办法。\n责任单位：办公室\n完成时限：长期坚持\n"
    )
    result = from_text(text)
    assert result.records == []
    assert "整改方案" in next(f.reason for f in result.flags if f.code == FlagCode.NO_RECORDS)


def test_no_outline_at_all_says_so(from_text) -> None:
    result = from_text("县测试局已按要求完成巡察整改工作，相关情况另行报告，特此说明，欢迎监督。")
    assert result.records == []
    assert "未识别到编号结构" in result.flags[0].reason


def test_a_text_cut_off_inside_a_record(from_text) -> None:
    text = (
        HEAD
        + ORG
        + "二、整改进展情况\n（一）印章管理不严\n整改情况：制定印章使用登记簿。\n（二）公务用车管理不规范\n整改情况：一是对全部车辆加装定位，二是"
    )
    result = from_text(text)
    assert [r.truncated for r in result.records] == [False, True]
    assert any(f.code == FlagCode.TRUNCATED for f in result.flags)


def test_thousands_of_items_are_never_merged(from_text) -> None:
    items = "".join(f"{n}.第{n}号台账缺页的问题\n整改情况：补齐台账第{n}册。\n" for n in range(1, 1206))
    result = from_text(HEAD + "二、整改进展情况\n" + items + TAIL)
    assert len(result.records) == 1205
    assert result.records[-1].problem == "第1205号台账缺页"
    assert len({r.record_id for r in result.records}) == 1205
