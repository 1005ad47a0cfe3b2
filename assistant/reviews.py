"""Reviewer decisions on flags (confirmed / dismissed / a note), kept in the store's database with
the history of every change: who (the `AUDIT_REVIEWER` setting, else the login name) and when.

A flag is identified by what it is about, never by where it sits in a list: the notice id (a
hash of the notice text), the record's problem text normalised, and the flag code. Re-running
the extractor renumbers records and rebuilds flag lists, a restart rebuilds everything from
disk; the key stays the same as long as the notice text and the problem's wording do. When the
wording shifts a little (another extractor trims the problem differently) a close match within
the same notice and flag code still finds the mark.
"""

from __future__ import annotations

import datetime as dt
import difflib
import getpass
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import delete, func, select

from assistant.store.database import Database, MarkHistoryRow, MarkRow, database_url

if TYPE_CHECKING:
    from assistant.store.notice_store import NoticeStore

from assistant.review_marks import (  # noqa: F401  (re-exported: the marks' models)
    DECISION_LABELS,
    Decision,
    FlagKey,
    MarkChange,
    ReviewFile,
    ReviewMark,
    normalise_problem,
)

REVIEWS_FILE = "reviews.json"  # where marks lived before the database; migrated on first open
FUZZY_RATIO = 0.85  # how close a re-extracted problem text must be to find an older mark
MIN_CONTAINED = 6  # a shorter problem text inside a longer one counts only from this length


def default_reviewer() -> str:
    from assistant.settings import get_settings

    configured = get_settings().reviewer
    if configured:
        return configured
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _aware(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)


def _mark(row: MarkRow) -> ReviewMark:
    return ReviewMark(
        key=FlagKey(notice_id=row.notice_id, problem=row.problem, code=row.code),
        decision=Decision(row.decision) if row.decision else None,
        note=row.note,
        updated_at=_aware(row.updated_at),
        record_id=row.record_id,
        problem_text=row.problem_text,
        reviewer=row.reviewer,
    )


class ReviewBook:
    """The reviewer's marks: one row per flag, every change also appended to the history.

    Each mark is its own row and transaction, so two app processes marking different flags never
    lose each other's work; on the same flag the later one wins and both stay in the history.
    """

    def __init__(self, db: Database, reviewer: str | None = None) -> None:
        self.db = db
        self.reviewer = default_reviewer() if reviewer is None else reviewer

    @classmethod
    def for_store(cls, store: NoticeStore | Path | str, reviewer: str | None = None) -> ReviewBook:
        """The marks of a store (an open NoticeStore, or its folder), migrating an old reviews.json."""
        if isinstance(store, (Path, str)):
            from assistant.settings import get_settings

            folder = Path(store)
            db = Database(database_url(folder, get_settings().database_url))
        else:
            folder, db = store.path, store.db
        book = cls(db, reviewer)
        book._migrate(folder / REVIEWS_FILE)
        return book

    def _migrate(self, path: Path) -> None:
        if not path.is_file():
            return
        data = ReviewFile.model_validate_json(path.read_bytes())
        with self.db.session() as s:
            for mark in data.marks:
                if s.get(MarkRow, mark.key.id) is None:
                    s.add(self._row(mark))
                    s.add(self._history(mark, mark.reviewer or "（迁移自 reviews.json）"))
        target = path.parent / "legacy-json"
        target.mkdir(exist_ok=True)
        shutil.move(str(path), str(target / path.name))

    @staticmethod
    def _row(mark: ReviewMark) -> MarkRow:
        return MarkRow(
            key_id=mark.key.id,
            notice_id=mark.key.notice_id,
            code=mark.key.code,
            problem=mark.key.problem,
            decision=mark.decision.value if mark.decision else None,
            note=mark.note,
            reviewer=mark.reviewer,
            updated_at=mark.updated_at,
            record_id=mark.record_id,
            problem_text=mark.problem_text,
        )

    @staticmethod
    def _history(mark: ReviewMark, reviewer: str) -> MarkHistoryRow:
        return MarkHistoryRow(
            key_id=mark.key.id,
            decision=mark.decision.value if mark.decision else None,
            note=mark.note,
            reviewer=reviewer,
            at=mark.updated_at,
        )

    def marks(self) -> list[ReviewMark]:
        with self.db.session() as s:
            return [_mark(r) for r in s.scalars(select(MarkRow).order_by(MarkRow.key_id))]

    def get(self, key: FlagKey) -> ReviewMark | None:
        """The mark for this flag: the exact key, else the closest problem text in the same notice and code."""
        with self.db.session() as s:
            exact = s.get(MarkRow, key.id)
            if exact is not None or not key.problem:
                return _mark(exact) if exact is not None else None
            scope = list(
                s.scalars(select(MarkRow).where(MarkRow.notice_id == key.notice_id, MarkRow.code == key.code))
            )
        best: tuple[float, MarkRow] | None = None
        for row in scope:
            if not row.problem:
                continue
            short, long_ = sorted((row.problem, key.problem), key=len)
            ratio = difflib.SequenceMatcher(None, row.problem, key.problem).ratio()
            if len(short) >= MIN_CONTAINED and short in long_:
                ratio = max(ratio, FUZZY_RATIO)
            if ratio >= FUZZY_RATIO and (best is None or ratio > best[0]):
                best = (ratio, row)
        return _mark(best[1]) if best else None

    def mark(
        self,
        key: FlagKey,
        decision: Decision | None,
        note: str = "",
        *,
        record_id: str | None = None,
        problem_text: str | None = None,
        now: dt.datetime | None = None,
    ) -> ReviewMark:
        """Save a decision and/or note; an empty mark (no decision, no note) removes the entry."""
        mark = ReviewMark(
            key=key,
            decision=decision,
            note=note.strip(),
            updated_at=now or dt.datetime.now(dt.UTC),
            record_id=record_id,
            problem_text=problem_text,
            reviewer=self.reviewer,
        )
        with self.db.session() as s:
            if mark.decision is None and not mark.note:
                s.execute(delete(MarkRow).where(MarkRow.key_id == key.id))
            else:
                s.merge(self._row(mark))
            s.add(self._history(mark, self.reviewer))
        return mark

    def history(self, key: FlagKey) -> list[MarkChange]:
        """Every change of this flag's mark, oldest first."""
        with self.db.session() as s:
            rows = s.scalars(
                select(MarkHistoryRow).where(MarkHistoryRow.key_id == key.id).order_by(MarkHistoryRow.id)
            )
            return [
                MarkChange(
                    decision=Decision(r.decision) if r.decision else None,
                    note=r.note,
                    reviewer=r.reviewer,
                    at=_aware(r.at),
                )
                for r in rows
            ]

    def counts(self) -> dict[Decision | None, int]:
        with self.db.session() as s:
            rows = s.execute(select(MarkRow.decision, func.count()).group_by(MarkRow.decision)).all()
        return {(Decision(d) if d else None): int(n) for d, n in rows}
