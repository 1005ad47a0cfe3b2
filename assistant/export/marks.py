"""Reviewer marks of a record or a notice, read through the review book's lookup (`get`) only.

Marks are kept per flag (notice, problem, code). A record is reviewed as one item with all its
flags, so the app saves the same mark on each of them; reading, the most recent mark among the
record's flags is the record's (an older per-flag mark still counts until a newer one is saved).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from assistant.models import Flag, NoticeResult, Record
from assistant.review_marks import Decision, FlagKey, ReviewMark

UNREVIEWED = "未审核"


class MarkLookup(Protocol):
    def get(self, key: FlagKey) -> ReviewMark | None: ...


def record_keys(notice_id: str, record: Record) -> list[FlagKey]:
    return [FlagKey.of(notice_id, record.problem, f.code) for f in record.flags]


def notice_keys(result: NoticeResult, flags: Sequence[Flag] | None = None) -> list[FlagKey]:
    return [FlagKey.of(result.notice_id, None, f.code) for f in (result.flags if flags is None else flags)]


def latest_mark(book: MarkLookup | None, keys: Sequence[FlagKey]) -> ReviewMark | None:
    """The newest mark saved on any of these flags, or None (nothing reviewed, or no book)."""
    if book is None:
        return None
    marks = [m for m in (book.get(k) for k in keys) if m is not None]
    return max(marks, key=lambda m: m.updated_at) if marks else None


def record_mark(book: MarkLookup | None, record: Record) -> ReviewMark | None:
    return latest_mark(book, record_keys(record.notice_id, record)) if record.flags else None


def decision_label(mark: ReviewMark | None) -> str:
    return mark.label if mark is not None and mark.decision is not None else UNREVIEWED


def wanted_in_memo(mark: ReviewMark | None, include_dismissed: bool = False) -> bool:
    """The memo lists what still needs follow-up: confirmed, or not yet reviewed."""
    return include_dismissed or mark is None or mark.decision != Decision.DISMISSED
