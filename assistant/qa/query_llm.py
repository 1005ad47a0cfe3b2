"""With a chat model configured, the model fills the `RecordQuery` instead of the rules.

The model only chooses filters from a closed schema; its output is validated (pydantic), then run
by the same executor as the rules' query, so it can neither write a query of its own nor add a row
that is not a stored record. A failed or invalid call falls back to the rules router.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field, model_validator

from assistant.errors import AuditError
from assistant.models import NoticeResult
from assistant.prompts import load_prompt
from assistant.qa.execute import unit_name
from assistant.qa.query import RecordQuery

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.providers.caller import LLMCaller
    from assistant.settings import Settings

PROMPT_NAME = "qa_route"
USER_MARKER = "<<<USER>>>"


class QueryNotRouted(Exception):
    """The model gave no usable answer: the rules router decides instead."""


class RoutedQuestion(BaseModel):
    """The model's decision: a records question with its query, or an ordinary question."""

    records_question: bool = Field(description="是否要在整改记录表上筛选、计数或求和")
    query: RecordQuery | None = Field(default=None, description="records_question 为 true 时的查询条件")

    @model_validator(mode="after")
    def _query_when_records(self) -> RoutedQuestion:
        if self.records_question and self.query is None:
            raise ValueError("records_question 为 true 时必须给出 query")
        return self


def route_messages(question: str, results: Sequence[NoticeResult]) -> tuple[str, str]:
    prompt = load_prompt(PROMPT_NAME)
    units = "、".join(dict.fromkeys(unit_name(r) for r in results)) or "（暂无）"
    system, _, user = prompt.fill(units=units, question=question.strip()).partition(USER_MARKER)
    return system.strip(), user.strip()


def llm_route(
    question: str,
    results: Sequence[NoticeResult],
    llm: LLMCaller | BaseChatModel,
    settings: Settings | None = None,
) -> RecordQuery | None:
    """The model's query for the question (None: not a records question); QueryNotRouted on failure."""
    from assistant.providers.caller import as_caller

    system, user = route_messages(question, results)
    try:
        routed = as_caller(llm, settings).call(RoutedQuestion, system, user).output
    except (AuditError, ValueError) as exc:
        raise QueryNotRouted(str(exc)) from exc
    if not isinstance(routed, RoutedQuestion):
        raise QueryNotRouted("unexpected output type")
    if not routed.records_question or routed.query is None:
        return None
    query = routed.query
    known = {r.notice_id for r in results}
    # notice ids the model made up select nothing; drop them rather than answer "none found"
    return query.model_copy(update={"notice_ids": [i for i in query.notice_ids if i in known]})
