"""Scoring set questions: the records (or units) an answer returns against the expected set.

A set question in `evals/qa.jsonl` carries a `kind` (vague, money, personnel…), a `style` (formal,
colloquial, unit, year, negative) and the records a reader of the notices expects, named by
notice file and problem text; optionally the count, the money sum in yuan, the units, or the count
per unit. Predicted records are matched to expected ones by problem text within each notice
(one-to-one, like the extraction eval), and precision/recall/F1 are summed over the questions
of a kind (micro average), so an empty expected set ("负例") counts every wrong row against it.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import TYPE_CHECKING

from pydantic import BaseModel, Field

from assistant.evaluation.matching import match

if TYPE_CHECKING:
    from assistant.qa import Answer

SET_MATCH = 0.9  # problem-text similarity at which a returned record is the expected one


class ExpectedRecord(BaseModel):
    notice: str  # notice file name
    problem: str


class SetExpectation(BaseModel):
    """What a set question should return (fields of a qa.jsonl line beside the question)."""

    kind: str
    style: str | None = None
    expected_records: list[ExpectedRecord] = Field(default_factory=list)
    expected_units: list[str] | None = None  # notice file names
    expected_count: int | None = None
    expected_sum_yuan: float | None = None
    expected_counts: dict[str, int] | None = None  # notice file name → count
    sum_given: bool = False  # expected_sum_yuan was written (it may be null: no amount stated)


class SetItemScore(BaseModel):
    kind: str
    style: str | None
    question: str
    tp: int
    fp: int
    fn: int
    values_checked: int = 0  # count / sum / per-unit figures expected
    values_right: int = 0
    missing: list[str] = Field(default_factory=list)
    extra: list[str] = Field(default_factory=list)
    wrong_values: list[str] = Field(default_factory=list)

    @property
    def exact(self) -> bool:
        return self.fp == 0 and self.fn == 0 and self.values_right == self.values_checked


class SetKindScore(BaseModel):
    kind: str
    questions: int
    precision: float
    recall: float
    f1: float
    exact: float  # share of questions with the set (and figures) exactly right
    values: float | None = None  # share of expected counts/sums/per-unit figures right


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return p, r, f


def predicted_records(answer: Answer, problems: dict[tuple[str, str], str]) -> list[tuple[str, str]]:
    """(notice file, problem) of the records an answer returns: its query rows, else what it cites."""
    if answer.records is not None:
        rows = answer.records.rows + (answer.records.unpriced if answer.records.query.target != "sum" else [])
        return [(r.source_name, r.problem) for r in rows]
    out = []
    for c in answer.citations:
        problem = problems.get((c.notice_id, c.record_id or ""))
        if problem and (c.source_name, problem) not in out:
            out.append((c.source_name, problem))
    return out


def _match_sets(
    expected: list[tuple[str, str]], predicted: list[tuple[str, str]]
) -> tuple[int, list[str], list[str]]:
    by_notice: dict[str, tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for notice, problem in expected:
        by_notice[notice][0].append(problem)
    for notice, problem in predicted:
        by_notice[notice][1].append(problem)
    tp, missing, extra = 0, [], []
    for notice, (gold, pred) in by_notice.items():
        pairs = match(gold, pred, threshold=SET_MATCH)
        tp += len(pairs)
        got_g = {g for g, _, _ in pairs}
        got_p = {p for _, p, _ in pairs}
        missing += [f"{notice[:3]}·{t}" for i, t in enumerate(gold) if i not in got_g]
        extra += [f"{notice[:3]}·{t}" for i, t in enumerate(pred) if i not in got_p]
    return tp, missing, extra


def score_set_item(
    question: str, expect: SetExpectation, answer: Answer, problems: dict[tuple[str, str], str]
) -> SetItemScore:
    result = answer.records
    wrong: list[str] = []
    checked = right = 0
    if expect.expected_units is not None:
        predicted_units = sorted(u.source_name for u in result.per_unit if u.count) if result else []
        expected_units = sorted(expect.expected_units)
        missing = [u[:3] for u in expected_units if u not in predicted_units]
        extra = [u[:3] for u in predicted_units if u not in expected_units]
        tp, fp, fn = len(set(predicted_units) & set(expected_units)), len(extra), len(missing)
    else:
        expected = [(e.notice, e.problem) for e in expect.expected_records]
        predicted = predicted_records(answer, problems)
        tp, missing, extra = _match_sets(expected, predicted)
        fp, fn = len(extra), len(missing)
    if expect.expected_count is not None:
        checked += 1
        got = result.count if result else None
        right += got == expect.expected_count
        if got != expect.expected_count:
            wrong.append(f"个数 {got} ≠ {expect.expected_count}")
    if expect.sum_given:
        checked += 1
        got_sum = result.total_yuan if result else None
        want = None if expect.expected_sum_yuan is None else Decimal(str(expect.expected_sum_yuan))
        right += got_sum == want
        if got_sum != want:
            wrong.append(f"合计 {got_sum} ≠ {want}")
    if expect.expected_counts is not None:
        per_unit = {u.source_name: u.count for u in result.per_unit} if result else {}
        for notice, want_count in expect.expected_counts.items():
            checked += 1
            got_count = per_unit.get(notice)
            right += got_count == want_count
            if got_count != want_count:
                wrong.append(f"{notice[:3]} 个数 {got_count} ≠ {want_count}")
    return SetItemScore(
        kind=expect.kind,
        style=expect.style,
        question=question,
        tp=tp,
        fp=fp,
        fn=fn,
        values_checked=checked,
        values_right=right,
        missing=missing,
        extra=extra,
        wrong_values=wrong,
    )


def kind_scores(items: list[SetItemScore]) -> list[SetKindScore]:
    by_kind: dict[str, list[SetItemScore]] = defaultdict(list)
    for item in items:
        by_kind[item.kind].append(item)
    out = []
    for kind, group in by_kind.items():
        p, r, f = _prf(sum(i.tp for i in group), sum(i.fp for i in group), sum(i.fn for i in group))
        checked = sum(i.values_checked for i in group)
        out.append(
            SetKindScore(
                kind=kind,
                questions=len(group),
                precision=p,
                recall=r,
                f1=f,
                exact=sum(1 for i in group if i.exact) / len(group),
                values=sum(i.values_right for i in group) / checked if checked else None,
            )
        )
    return out


def overall_f1(items: list[SetItemScore]) -> float:
    return _prf(sum(i.tp for i in items), sum(i.fp for i in items), sum(i.fn for i in items))[2]
