"""Extraction metrics: counts that add up across notices, and the rates computed from them."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, computed_field

from assistant.evaluation.gold import GoldRecord
from assistant.models import FlagCode, Record


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


class Scores(BaseModel):
    """Micro counts; rates are derived so per-notice scores sum into the overall row."""

    gold: int = 0
    predicted: int = 0
    matched: int = 0
    status_correct: int = 0
    measure_exact: int = 0
    measure_abs_error: int = 0
    vague_tp: int = 0
    vague_fp: int = 0
    vague_fn: int = 0

    def __add__(self, other: Scores) -> Scores:
        fields = type(self).model_fields
        return Scores(**{k: getattr(self, k) + getattr(other, k) for k in fields})

    @computed_field
    @property
    def precision(self) -> float:
        return _ratio(self.matched, self.predicted)

    @computed_field
    @property
    def recall(self) -> float:
        return _ratio(self.matched, self.gold)

    @computed_field
    @property
    def f1(self) -> float:
        return _f1(self.precision, self.recall)

    @computed_field
    @property
    def status_accuracy(self) -> float:
        return _ratio(self.status_correct, self.matched)

    @computed_field
    @property
    def measure_exact_rate(self) -> float:
        return _ratio(self.measure_exact, self.matched)

    @computed_field
    @property
    def measure_mae(self) -> float:
        return _ratio(self.measure_abs_error, self.matched)

    @computed_field
    @property
    def vague_precision(self) -> float:
        return _ratio(self.vague_tp, self.vague_tp + self.vague_fp)

    @computed_field
    @property
    def vague_recall(self) -> float:
        return _ratio(self.vague_tp, self.vague_tp + self.vague_fn)

    @computed_field
    @property
    def vague_f1(self) -> float:
        if not (self.vague_tp + self.vague_fp + self.vague_fn):
            return 1.0  # nothing vague, nothing flagged: perfect agreement
        return _f1(self.vague_precision, self.vague_recall)


MismatchKind = Literal["missing", "extra", "status", "measures", "vague_missed", "vague_extra"]


class Mismatch(BaseModel):
    """One disagreement with the gold labels, for reading what to fix."""

    kind: MismatchKind
    problem: str
    gold: str | None = None
    predicted: str | None = None


def is_flagged_vague(record: Record) -> bool:
    return FlagCode.VAGUE_COMPLETION in {f.code for f in record.flags}


def score_pairs(
    gold: list[GoldRecord], predicted: list[Record], pairs: list[tuple[int, int, float]]
) -> tuple[Scores, list[Mismatch]]:
    scores = Scores(gold=len(gold), predicted=len(predicted), matched=len(pairs))
    mismatches: list[Mismatch] = []
    matched_g = {g for g, _, _ in pairs}
    matched_p = {p for _, p, _ in pairs}
    for gi, pi, _ in pairs:
        g, p = gold[gi], predicted[pi]
        if g.status == p.status:
            scores.status_correct += 1
        else:
            mismatches.append(Mismatch(kind="status", problem=g.problem, gold=g.status, predicted=p.status))
        error = abs(g.measures - len(p.measures))
        scores.measure_abs_error += error
        if error == 0:
            scores.measure_exact += 1
        else:
            mismatches.append(
                Mismatch(kind="measures", problem=g.problem, gold=str(g.measures), predicted=str(len(p.measures)))
            )
        _vague(scores, mismatches, g, p)
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            mismatches.append(Mismatch(kind="missing", problem=g.problem))
            _vague(scores, mismatches, g, None)
    for pi, p in enumerate(predicted):
        if pi not in matched_p:
            mismatches.append(Mismatch(kind="extra", problem=p.problem))
            _vague(scores, mismatches, None, p)
    return scores, mismatches


def _vague(scores: Scores, mismatches: list[Mismatch], g: GoldRecord | None, p: Record | None) -> None:
    gold_vague = bool(g and g.vague)
    pred_vague = bool(p and is_flagged_vague(p))
    problem = g.problem if g else p.problem if p else ""
    if gold_vague and pred_vague:
        scores.vague_tp += 1
    elif pred_vague:
        scores.vague_fp += 1
        mismatches.append(Mismatch(kind="vague_extra", problem=problem, gold=g.why if g else None))
    elif gold_vague:
        scores.vague_fn += 1
        mismatches.append(Mismatch(kind="vague_missed", problem=problem, gold=g.why if g else None))
