"""What the LLM fills: text only, never offsets.

The model copies words from the notice; `assistant.extraction.align` finds them again and gives
them spans, and whatever cannot be found is dropped. Keeping these models flat (no nested
objects, no `$defs`) lets every endpoint take them, whichever structured-output method it
accepts; `Literal` fields make a tiny model's `status: "2018-09-15…"` a validation error that
is fed back to it instead of a silently wrong record.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

StatusValue = Literal["完成", "阶段性完成", "推进中", "未说明"]


def _clean(value: str | None) -> str | None:
    if value is None:
        return None
    value = value.strip()
    return value or None


class ExtractedRecord(BaseModel):
    """一条整改记录。所有文字均从记录原文逐字摘录，找不到就填 null 或空列表，不得编造。"""

    model_config = ConfigDict(title="ExtractedRecord", extra="ignore")

    problem: str = Field(
        min_length=2,
        description="问题原文，去掉编号和“关于……问题”“针对……问题”外壳，逐字摘录",
    )
    status: StatusValue = Field(description="整改状态，只能是：完成、阶段性完成、推进中、未说明")
    status_text: str | None = Field(
        default=None, description="判断状态所依据的原文字句，如“整改结果：完成”；没有则为 null"
    )
    measures: list[str] = Field(
        default_factory=list,
        description="整改措施，每项一条，逐字摘录原文（去掉“一是”“二是”等序号词）",
    )
    deadline: str | None = Field(
        default=None, description="原文写明的完成时限，如“2024年12月底前”；没有则为 null"
    )

    @field_validator("problem", mode="before")
    @classmethod
    def _strip_problem(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("status_text", "deadline")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return _clean(value)

    @field_validator("measures")
    @classmethod
    def _no_blank_measures(cls, value: list[str]) -> list[str]:
        return [m.strip() for m in value if m and m.strip()]


class VagueJudgement(BaseModel):
    """对一条声称“完成”的记录是否空泛的判断。"""

    model_config = ConfigDict(title="VagueJudgement", extra="ignore")

    vague: bool = Field(description="true：所有措施都没有可核查的具体内容（空泛）；false：至少一项具体")
    reason: str = Field(min_length=4, max_length=300, description="一句中文理由，点出决定性的原文词句")
    quotes: list[str] = Field(
        default_factory=list,
        description="判断所依据的具体内容原文（数字、日期、文件名、人事处理等），逐字摘录；空泛时为空列表",
    )

    @field_validator("reason", mode="before")
    @classmethod
    def _strip_reason(cls, value: Any) -> Any:
        return value.strip() if isinstance(value, str) else value

    @field_validator("quotes")
    @classmethod
    def _no_blank_quotes(cls, value: list[str]) -> list[str]:
        return [q.strip() for q in value if q and q.strip()]


class SegmentedRecords(BaseModel):
    """一段通报原文中的整改记录：每条记录开头的原文和问题，两个列表一一对应；没有整改记录时都为空列表。"""

    model_config = ConfigDict(title="SegmentedRecords", extra="ignore")

    first_words: list[str] = Field(
        default_factory=list, description="每条整改记录开头的一句话（8到40个字），按原文顺序逐字摘录"
    )
    problems: list[str] = Field(
        default_factory=list, description="与 first_words 一一对应的问题本身，逐字摘录，去掉编号和外壳"
    )

    @field_validator("first_words", "problems")
    @classmethod
    def _no_blanks(cls, value: list[str]) -> list[str]:
        return [v.strip() for v in value if v and v.strip()]

    @model_validator(mode="after")
    def _paired(self) -> SegmentedRecords:
        if len(self.first_words) != len(self.problems):
            raise ValueError("first_words 与 problems 的条数必须相同，一条记录对应一项")
        return self


__all__ = ["ExtractedRecord", "SegmentedRecords", "StatusValue", "VagueJudgement"]
