"""Reviewer marks on flags: kept in the store's database with their history, found again after a
restart and after re-extraction, migrated from the old JSON file, never lost between processes."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.models import Record
from assistant.pipeline import process_file
from assistant.reviews import REVIEWS_FILE, Decision, FlagKey, ReviewBook, normalise_problem

WHEN = dt.datetime(2026, 3, 1, 9, 30, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def flagged(sample_path: Callable[[str], Path]) -> Record:
    result = process_file(sample_path("000")).result
    return next(r for r in result.records if r.record_id == "(三)-8")


def test_normalise_problem_ignores_width_spacing_and_punctuation() -> None:
    assert normalise_problem("职级晋升任免权限不合规") == "职级晋升任免权限不合规"
    assert normalise_problem(" 职级晋升、任免权限\n不合规。") == "职级晋升任免权限不合规"
    assert normalise_problem("ＡＢ１２，问题") == "ab12问题"
    assert normalise_problem(None) == ""


def test_key_is_notice_problem_and_code(flagged: Record) -> None:
    key = FlagKey.of(flagged.notice_id, flagged.problem, flagged.flags[0].code)
    assert flagged.problem == "职级晋升任免权限不合规"
    assert key.id == f"{flagged.notice_id}|vague_completion|职级晋升任免权限不合规"


def test_mark_survives_a_restart(tmp_path: Path, flagged: Record) -> None:
    key = FlagKey.of(flagged.notice_id, flagged.problem, "vague_completion")
    book = ReviewBook.for_store(tmp_path, reviewer="李审核")
    book.mark(
        key,
        Decision.CONFIRMED,
        "  需要调阅干部任免档案 ",
        record_id="(三)-8",
        problem_text=flagged.problem,
        now=WHEN,
    )

    again = ReviewBook.for_store(tmp_path)
    mark = again.get(key)
    assert mark is not None
    assert mark.decision is Decision.CONFIRMED
    assert mark.label == "确认存疑"
    assert mark.note == "需要调阅干部任免档案"
    assert mark.updated_at == WHEN
    assert mark.record_id == "(三)-8"
    assert mark.reviewer == "李审核"
    assert [(c.decision, c.note, c.reviewer, c.at) for c in again.history(key)] == [
        (Decision.CONFIRMED, "需要调阅干部任免档案", "李审核", WHEN)
    ]


def test_mark_survives_re_extraction(
    tmp_path: Path, sample_path: Callable[[str], Path], flagged: Record
) -> None:
    book = ReviewBook.for_store(tmp_path)
    book.mark(FlagKey.of(flagged.notice_id, flagged.problem, "generic_only"), Decision.DISMISSED, now=WHEN)

    # a fresh extraction, its records in another order: the key does not depend on positions
    records = list(reversed(process_file(sample_path("000")).result.records))
    found = [
        (r.record_id, f.code.value)
        for r in records
        for f in r.flags
        if (m := book.get(FlagKey.of(r.notice_id, r.problem, f.code))) and m.decision is Decision.DISMISSED
    ]
    assert found == [("(三)-8", "generic_only")]


def test_slightly_different_wording_still_finds_the_mark(tmp_path: Path, flagged: Record) -> None:
    book = ReviewBook.for_store(tmp_path)
    book.mark(
        FlagKey.of(flagged.notice_id, "关于职级晋升任免权限不合规问题", "vague_completion"),
        Decision.CONFIRMED,
    )
    assert book.get(FlagKey.of(flagged.notice_id, flagged.problem, "vague_completion")) is not None
    # another code, another notice or another problem never borrows it
    assert book.get(FlagKey.of(flagged.notice_id, flagged.problem, "generic_only")) is None
    assert book.get(FlagKey.of("0" * 16, flagged.problem, "vague_completion")) is None
    assert (
        book.get(FlagKey.of(flagged.notice_id, "交警支队个别民辅警履职能力有待增强", "vague_completion"))
        is None
    )


def test_notice_level_flags_have_an_empty_problem(tmp_path: Path) -> None:
    book = ReviewBook.for_store(tmp_path)
    key = FlagKey.of("abc", None, "totals_mismatch")
    book.mark(key, None, "汇总数字待核实")
    assert book.get(key).note == "汇总数字待核实"
    assert book.get(key).label == "未审核"
    assert book.get(FlagKey.of("abd", None, "totals_mismatch")) is None


def test_an_empty_mark_removes_the_entry_and_counts_follow(tmp_path: Path) -> None:
    book = ReviewBook.for_store(tmp_path)
    a, b = FlagKey.of("n1", "问题甲", "vague_completion"), FlagKey.of("n1", "问题乙", "study_only")
    book.mark(a, Decision.CONFIRMED)
    book.mark(b, Decision.DISMISSED)
    assert book.counts() == {Decision.CONFIRMED: 1, Decision.DISMISSED: 1}
    book.mark(a, None, "   ")
    assert book.get(a) is None
    assert [m.key for m in ReviewBook.for_store(tmp_path).marks()] == [b]


def test_a_write_from_another_book_is_seen(tmp_path: Path) -> None:
    first, second = ReviewBook.for_store(tmp_path), ReviewBook.for_store(tmp_path)
    key = FlagKey.of("n1", "问题甲", "vague_completion")
    second.mark(key, Decision.CONFIRMED)
    other = FlagKey.of("n1", "问题乙", "vague_completion")
    first.mark(other, Decision.DISMISSED)  # re-reads before writing: the other book's mark is kept
    assert {m.key for m in ReviewBook.for_store(tmp_path).marks()} == {key, other}


def test_every_change_is_kept_with_who_and_when(tmp_path: Path) -> None:
    key = FlagKey.of("n1", "问题甲", "vague_completion")
    first, second = ReviewBook.for_store(tmp_path, "甲"), ReviewBook.for_store(tmp_path, "乙")
    first.mark(key, Decision.CONFIRMED, "先确认", now=WHEN)
    second.mark(key, Decision.DISMISSED, "核实后排除", now=WHEN + dt.timedelta(hours=1))
    first.mark(key, None, "", now=WHEN + dt.timedelta(hours=2))
    assert first.get(key) is None
    assert [(c.reviewer, c.decision, c.note) for c in second.history(key)] == [
        ("甲", Decision.CONFIRMED, "先确认"),
        ("乙", Decision.DISMISSED, "核实后排除"),
        ("甲", None, ""),
    ]


def test_the_old_reviews_file_is_migrated_once_and_kept(tmp_path: Path) -> None:
    key = FlagKey.of("n1", "问题甲", "vague_completion")
    old = {
        "version": 1,
        "marks": [
            {
                "key": key.model_dump(),
                "decision": "confirmed",
                "note": "旧文件里的备注",
                "updated_at": WHEN.isoformat(),
                "record_id": "一、1.",
            }
        ],
    }
    (tmp_path / REVIEWS_FILE).write_text(json.dumps(old, ensure_ascii=False), encoding="utf-8")
    book = ReviewBook.for_store(tmp_path, "乙")
    mark = book.get(key)
    assert (mark.decision, mark.note, mark.updated_at, mark.record_id) == (
        Decision.CONFIRMED,
        "旧文件里的备注",
        WHEN,
        "一、1.",
    )
    assert not (tmp_path / REVIEWS_FILE).exists()
    assert (tmp_path / "legacy-json" / REVIEWS_FILE).is_file()
    assert [c.reviewer for c in ReviewBook.for_store(tmp_path).history(key)] == ["（迁移自 reviews.json）"]


_MARKER = """
import sys
from assistant.reviews import Decision, FlagKey, ReviewBook
book = ReviewBook.for_store(sys.argv[1], reviewer=sys.argv[2])
for i in range(int(sys.argv[3])):
    book.mark(FlagKey.of("n1", f"{sys.argv[2]}的问题{i}", "vague_completion"), Decision.CONFIRMED, f"第{i}条")
"""


def test_two_processes_marking_at_once_lose_nothing(tmp_path: Path) -> None:
    import subprocess
    import sys

    ReviewBook.for_store(tmp_path)  # the database exists before both start
    runs = [
        subprocess.Popen([sys.executable, "-c", _MARKER, str(tmp_path), who, "40"]) for who in ("甲", "乙")
    ]
    assert [p.wait(timeout=120) for p in runs] == [0, 0]
    marks = ReviewBook.for_store(tmp_path).marks()
    assert len(marks) == 80
    assert {m.reviewer for m in marks} == {"甲", "乙"}
