"""Reviewer decisions on flags (confirmed / dismissed / a note), kept as JSON beside the store.

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
import threading
import unicodedata
from enum import StrEnum
from pathlib import Path

from pydantic import BaseModel, ConfigDict, Field

from assistant.atomic import write_atomic
from assistant.text.fold import fold

REVIEWS_FILE = "reviews.json"
FUZZY_RATIO = 0.85  # how close a re-extracted problem text must be to find an older mark
MIN_CONTAINED = 6  # a shorter problem text inside a longer one counts only from this length


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

    @property
    def label(self) -> str:
        return DECISION_LABELS[self.decision]


class ReviewFile(BaseModel):
    version: int = 1
    marks: list[ReviewMark] = Field(default_factory=list)


class ReviewBook:
    """The reviewer's marks, read from and written to one JSON file.

    Every write re-reads the file first (another session or process may have written since),
    under a lock, and replaces the file atomically.
    """

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self._lock = threading.Lock()
        self._marks: dict[str, ReviewMark] = {}
        self._scopes: dict[
            tuple[str, str], list[ReviewMark]
        ] = {}  # (notice, code) → marks, for close matches
        self._mtime: float | None = None
        self._load()

    @classmethod
    def for_store(cls, store_dir: Path) -> ReviewBook:
        return cls(Path(store_dir) / REVIEWS_FILE)

    def _load(self) -> None:
        try:
            mtime = self.path.stat().st_mtime
        except FileNotFoundError:
            self._marks, self._mtime = {}, None
            self._index()
            return
        if mtime == self._mtime:
            return
        data = ReviewFile.model_validate_json(self.path.read_bytes())
        self._marks = {m.key.id: m for m in data.marks}
        self._mtime = mtime
        self._index()

    def _index(self) -> None:
        self._scopes = {}
        for mark in self._marks.values():
            self._scopes.setdefault((mark.key.notice_id, mark.key.code), []).append(mark)

    def _save(self) -> None:
        payload = ReviewFile(marks=sorted(self._marks.values(), key=lambda m: m.key.id))
        write_atomic(self.path, payload.model_dump_json(indent=1))
        self._mtime = self.path.stat().st_mtime
        self._index()

    def marks(self) -> list[ReviewMark]:
        with self._lock:
            self._load()
            return list(self._marks.values())

    def get(self, key: FlagKey) -> ReviewMark | None:
        """The mark for this flag: the exact key, else the closest problem text in the same notice and code."""
        with self._lock:
            self._load()
            exact = self._marks.get(key.id)
            if exact is not None or not key.problem:
                return exact
            best: tuple[float, ReviewMark] | None = None
            for mark in self._scopes.get((key.notice_id, key.code), []):
                other = mark.key
                if not other.problem:
                    continue
                short, long_ = sorted((other.problem, key.problem), key=len)
                ratio = difflib.SequenceMatcher(None, other.problem, key.problem).ratio()
                if len(short) >= MIN_CONTAINED and short in long_:
                    ratio = max(ratio, FUZZY_RATIO)
                if ratio >= FUZZY_RATIO and (best is None or ratio > best[0]):
                    best = (ratio, mark)
            return best[1] if best else None

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
        )
        with self._lock:
            self._load()
            if mark.decision is None and not mark.note:
                self._marks.pop(key.id, None)
            else:
                self._marks[key.id] = mark
            self._save()
        return mark

    def counts(self) -> dict[Decision | None, int]:
        out: dict[Decision | None, int] = {}
        for mark in self.marks():
            out[mark.decision] = out.get(mark.decision, 0) + 1
        return out
