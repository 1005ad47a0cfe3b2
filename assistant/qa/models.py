"""The answer contract: text with [n] markers, and for every n the passage it points to."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from assistant.models import Span
from assistant.qa.query import RecordsResult

AnswerMode = Literal["llm", "extractive", "records", "none"]

NO_LLM_BANNER = "未配置语言模型：以下为从通报中摘录的原文句子（抽取式回答）。"
RECORDS_BANNER = "按已抽取的整改记录表统计（规则抽取，非逐段检索）。"
NOT_FOUND_TEXT = "通报中没有相关信息。"


class Citation(BaseModel):
    """One numbered passage the answer may point to, with the words it relies on."""

    n: int  # the [n] in the answer
    chunk_id: str
    notice_id: str
    source_name: str
    record_id: str | None = None
    outline_path: list[str] = Field(default_factory=list)
    span: Span  # the passage span in Notice.text
    passage: str  # the passage body
    quotes: list[Span] = Field(default_factory=list)  # spans in Notice.text, for highlighting

    @property
    def place(self) -> str:
        """Human-readable location: notice file and outline path."""
        path = " > ".join(self.outline_path)
        return f"{self.source_name}" + (f" · {path}" if path else "")


class Answer(BaseModel):
    question: str
    text: str  # answer text with [1], [2] markers
    citations: list[Citation] = Field(default_factory=list)
    mode: AnswerMode
    grounded: bool  # False when no valid citation, or when the answer cites passages it was not given
    invalid_citations: list[int] = Field(default_factory=list)
    banner: str | None = None
    records: RecordsResult | None = None  # the executed query behind a records answer

    def citation(self, n: int) -> Citation | None:
        return next((c for c in self.citations if c.n == n), None)
