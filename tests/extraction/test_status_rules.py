"""Status of a record by the general rules (DESIGN.md "Status rules" and its edge cases).

Each case is a record body written for this test: the rectification text after the problem line.
"""

from __future__ import annotations

import pytest

from assistant.extraction.status import read_status
from assistant.models import Status

C, P, G, U = Status.COMPLETED, Status.PARTIAL, Status.IN_PROGRESS, Status.UNSTATED


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        # explicit status wins, whatever the text promises
        ("\n整改结果：完成。\n整改情况：将于年底前修订制度。", C, "整改结果：完成"),
        ("\n完成情况：已完成\n整改措施：一是补登资产台账。", C, "完成情况：已完成"),
        ("\n整改状态：已完成\n整改措施：补录档案。", C, "整改状态：已完成"),
        ("\n整改进度：阶段性完成\n整改措施：清理合同4份。", P, "整改进度：阶段性完成"),
        ("【已完成】\n【整改情况】一是拆除违建2处。", C, "已完成"),
        ("\n整改情况：已完成。一是补齐凭证12份。", C, "已完成"),
        ("\n整改进展：正在推进中。已完成选址。", G, "正在推进中"),
        # resolution of this problem
        ("\n整改情况：违规发放的补贴3200元已全部清退。", C, "已全部清退"),
        ("\n整改情况：一是修订制度。二是该问题已整改到位。", C, "已整改"),
        # resolution with pending work beside it
        ("\n整改情况：已清退违规补贴2.3万元，其余0.8万元待当事人返岗后收回。", P, "待当事人返岗后"),
        # only pending or ongoing work
        ("\n整改情况：正在对账户开展清理，计划于2025年6月前完成。", G, "正在"),
        ("\n整改情况：已委托设计院出具方案。施工招标正在进行中。", G, "正在"),
        # done work mixed with ongoing work
        ("\n整改情况：补录资产台账48条。剩余3处房产正在办理过户。", P, "正在"),
        ("\n整改情况：2024年5月开始建设智慧平台。已上线预约系统。", P, "开始建设"),
        # a decision still to be carried out, beside a step taken
        ("\n整改情况：党组会议研究，决定将多收费用退还群众，已与财政部门对接。", P, "决定将"),
        # general pledges change nothing; self-raised items are not this problem
        ("\n整改情况：修订了审批流程。今后将进一步加强监督。", U, None),
        ("\n整改情况：组织自查，查摆问题12个，目前均已整改。", U, None),
        # an action with no resolution wording; people returned are a step, not money paid back
        ("\n整改情况：多收的租金上交财政。", U, None),
        ("\n整改情况：借调的3名人员已退回原单位，并修订借调审批办法。", U, None),
        # goals and the disposal 将 are not pending work
        ("\n整改情况：成立工作专班，确保整改有序推进。", U, None),
        ("\n整改情况：已将会议的记录补齐归档，均已整改到位。", C, "均已整改到位"),
        # a sub-task finished is not the problem resolved
        ("\n整改情况：设计方案已完成，报送审批。", U, None),
    ],
)
def test_status_by_general_rules(body: str, status: Status, words: str | None) -> None:
    reading = read_status(body, 100)
    assert reading.status == status, reading
    if words is not None:
        assert words in (reading.text or "")
    if reading.span is not None:
        assert body[reading.span.start - 100 : reading.span.end - 100] in (reading.text or "")


@pytest.mark.parametrize(
    ("group", "body", "status"),
    [
        ("已整改完成的问题", "\n整改情况：修订了制度。", C),
        ("已整改完成的问题", "\n整改情况：修订了制度，其余2份合同正在通过诉讼处理。", P),
        ("正在推进整改的问题", "\n整改情况：已完成摸底。", G),
        ("需长期坚持的问题", "\n整改情况：建立了回访台账。", P),
        ("已完成的整改事项（含阶段性完成事项）", "\n整改情况：修订了制度。", U),
        ("（1）已完成整改5个，分别是：", "整改情况：补齐记录。", C),
    ],
)
def test_status_groups_give_their_items_a_status(group: str, body: str, status: Status) -> None:
    assert read_status(body, 0, group).status == status
