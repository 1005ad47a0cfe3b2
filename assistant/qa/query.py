"""The typed query a set question becomes, and what running it yields.

A question over many notices ("哪些单位追缴或退回了资金，共多少？") is answered from the records
table, never from five retrieved passages. The rules router and the language model both fill the
same `RecordQuery`; one executor (`qa/execute.py`) runs it, so the model never writes free queries
and every row it returns is a stored record that can be cited.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from enum import StrEnum

from pydantic import BaseModel, Field, model_validator

from assistant.models import EvidenceType, FlagCode, Span, Status


class Target(StrEnum):
    """What the answer is: the records, their number, a money total, or the units that have them."""

    RECORDS = "records"
    COUNT = "count"
    SUM = "sum"
    UNITS = "units"


class MoneyAction(StrEnum):
    RECOVERED = "recovered"  # 追缴、追回、收回
    RETURNED = "returned"  # 退回、退还、上交国库
    FINED = "fined"  # 罚款


class PersonnelAction(StrEnum):
    ADMONITION = "admonition"  # 诫勉谈话
    REMINDER = "reminder"  # 提醒谈话、警示谈话
    INTERVIEW = "interview"  # 约谈
    CRITICISM = "criticism"  # 通报批评、责令检查
    DISMISSAL = "dismissal"  # 免职、撤职
    TRANSFER = "transfer"  # 调离岗位
    SANCTION = "sanction"  # 处分、立案调查、处理决定
    PAY_DEDUCTION = "pay_deduction"  # 扣缴津贴


MONEY_LABELS: dict[MoneyAction, str] = {
    MoneyAction.RECOVERED: "追缴",
    MoneyAction.RETURNED: "退回或上交",
    MoneyAction.FINED: "罚款",
}
PERSONNEL_LABELS: dict[PersonnelAction, str] = {
    PersonnelAction.ADMONITION: "诫勉谈话",
    PersonnelAction.REMINDER: "提醒谈话",
    PersonnelAction.INTERVIEW: "约谈",
    PersonnelAction.CRITICISM: "批评或责令检查",
    PersonnelAction.DISMISSAL: "免职",
    PersonnelAction.TRANSFER: "调离岗位",
    PersonnelAction.SANCTION: "处分或立案处理",
    PersonnelAction.PAY_DEDUCTION: "扣发津贴",
}
TALKS = [PersonnelAction.ADMONITION, PersonnelAction.REMINDER, PersonnelAction.INTERVIEW]


class DateRange(BaseModel):
    """Inclusive calendar range."""

    start: dt.date
    end: dt.date

    @model_validator(mode="after")
    def _ordered(self) -> DateRange:
        if self.end < self.start:
            raise ValueError("date range ends before it starts")
        return self

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end


class RecordQuery(BaseModel):
    """A question over the records table. Empty filters do not filter; lists are alternatives."""

    target: Target = Target.RECORDS
    organisations: list[str] = Field(default_factory=list, description="发布单位名称或其中的词（任一）")
    notice_ids: list[str] = Field(default_factory=list, description="限定的通报编号（任一）")
    round: int | None = Field(default=None, description="巡察轮次（第几轮）")
    notice_dates: DateRange | None = Field(default=None, description="通报所属日期范围（按发布日期）")
    statuses: list[Status] = Field(default_factory=list, description="整改状态（任一）")
    flags: list[FlagCode] = Field(default_factory=list, description="存疑标记（任一）")
    any_flag: bool = Field(default=False, description="有任何存疑标记")
    evidence: list[EvidenceType] = Field(default_factory=list, description="措施中须有的具体内容类型（全部）")
    money: list[MoneyAction] | None = Field(
        default=None, description="资金动作：追缴/退回/罚款（任一；空列表 = 任何资金动作；null = 不限）"
    )
    personnel: list[PersonnelAction] | None = Field(
        default=None, description="人员处理（任一；空列表 = 任何人员处理；null = 不限）"
    )
    dates: DateRange | None = Field(default=None, description="措施中写明的日期须落在此范围内")
    words: list[str] = Field(default_factory=list, description="问题或措施中须出现的词（全部）")
    by_unit: bool = Field(default=False, description="按单位分别统计并比较")


class MoneyEvent(BaseModel):
    """Money recovered, returned or fined in one clause of a measure, with its amount if stated."""

    action: MoneyAction
    quote: str  # the clause, as written
    span: Span
    amount_text: str | None = None  # "4.54万元"
    yuan: Decimal | None = None
    approximate: bool = False  # "40余万元"


class ActionHit(BaseModel):
    """A personnel step named in a measure."""

    action: PersonnelAction
    quote: str
    span: Span


class RecordRow(BaseModel):
    """One record the query selected, with what it matched on."""

    notice_id: str
    source_name: str
    unit: str
    record_id: str
    problem: str
    problem_span: Span
    status: Status
    flags: list[FlagCode] = Field(default_factory=list)
    money: list[MoneyEvent] = Field(default_factory=list)
    personnel: list[ActionHit] = Field(default_factory=list)
    documents: list[str] = Field(default_factory=list)
    dates: list[str] = Field(default_factory=list)
    quotes: list[Span] = Field(default_factory=list)  # the words the row matched on, for highlighting

    @property
    def yuan(self) -> Decimal | None:
        amounts = [e.yuan for e in self.money if e.yuan is not None]
        return sum(amounts, Decimal(0)) if amounts else None


class UnitSummary(BaseModel):
    notice_id: str
    source_name: str
    unit: str
    count: int
    yuan: Decimal | None = None


class RecordsResult(BaseModel):
    """The executed query: rows (for a sum, the rows that state an amount), counts and totals."""

    query: RecordQuery
    rows: list[RecordRow] = Field(default_factory=list)
    unpriced: list[RecordRow] = Field(default_factory=list)  # sum: matching rows that state no amount
    notices_in_scope: list[str] = Field(default_factory=list)
    records_in_scope: int = 0
    per_unit: list[UnitSummary] = Field(default_factory=list)  # every unit in scope, in notice order
    total_yuan: Decimal | None = None  # money queries: the sum of the amounts stated

    @property
    def count(self) -> int:
        return len(self.rows) + len(self.unpriced) if self.query.target == Target.SUM else len(self.rows)
