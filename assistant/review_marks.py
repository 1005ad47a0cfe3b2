"""The reviewer's marks as data — the decision, the flag it is about, its history — shared by the
review book (which keeps them in the store's database), the exports, the memo and the app.

A flag is identified by what it is about, never by where it sits in a list: the notice id (a
hash of the notice text), the record's problem text normalised, and the flag code. Re-running
the extractor renumbers records and rebuilds flag lists; the key stays the same as long as the
notice text and the problem's wording do.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from assistant.text.fold import fold


class Decision(StrEnum):
    CONFIRMED = "confirmed"  # the reviewer agrees the claim needs follow-up
    DISMISSED = "dismissed"  # the reviewer finds the flag unwarranted


DECISION_LABELS: dict[Decision | None, str] = {
    None: "未审核",
    Decision.CONFIRMED: "确认存疑",
    Decision.DISMISSED: "排除（不存疑）",
}


def normalise_problem(text: str | None) -> str:
    """Width-folded, lower-cased, letters and digits only: survives spacing and punctuation changes."""
    folded = fold(text or "")
    return "".join(ch for ch in folded if unicodedata.category(ch)[0] in "LN")


class FlagKey(BaseModel):
    """What a flag is about: notice, problem (normalised; empty for notice-level flags), code."""

    model_config = ConfigDict(frozen=True)

    notice_id: str
    problem: str = ""
    code: str

    @classmethod
    def of(cls, notice_id: str, problem: str | None, code: str) -> FlagKey:
        return cls(notice_id=notice_id, problem=normalise_problem(problem), code=str(code))

    @property
    def id(self) -> str:
        return f"{self.notice_id}|{self.code}|{self.problem}"


class ReviewMark(BaseModel):
    key: FlagKey
    decision: Decision | None = None
    note: str = ""
    updated_at: dt.datetime
    record_id: str | None = None  # where the record was when marked, for display only
    problem_text: str | None = None  # the problem as shown when marked
    reviewer: str = ""

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.decision]


class ReviewFile(BaseModel):
    """The JSON file of marks from before the database."""

    version: int = 1
    marks: list[ReviewMark] = Field(default_factory=list)


class MarkChange(BaseModel):
    decision: Decision | None = None
    note: str = ""
    reviewer: str = ""
    at: dt.datetime
