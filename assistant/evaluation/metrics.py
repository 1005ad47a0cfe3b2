"""Extraction metrics: counts that add up across notices and sets, and the rates computed from them.

Records are matched leniently (fuzzy problem text, `matching.match`); a lenient match whose problem
text differs once normalised is a boundary error (the problem cut short or run on) and is counted
apart as `strict_matched`, so both the strict and the lenient record F1 are reported.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, computed_field

from assistant.evaluation.gold import GoldNotice, GoldRecord
from assistant.evaluation.matching import is_strict, match
from assistant.models import FlagCode, NoticeResult, Record, Totals, TotalsCounts

WARNING_FLAGS = frozenset({FlagCode.NO_RECORDS, FlagCode.TOTALS_MISMATCH, FlagCode.TRUNCATED})
"""Notice-level flags that tell a reader records may be missing."""


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _f1(p: float, r: float) -> float:
    return 2 * p * r / (p + r) if p + r else 0.0


class Scores(BaseModel):
    """Micro counts; rates are derived so per-notice scores sum into set and overall rows."""

    notices: int = 0
    gold: int = 0
    predicted: int = 0
    matched: int = 0
    strict_matched: int = 0
    status_correct: int = 0
    measure_exact: int = 0
    measure_abs_error: int = 0
    concrete_correct: int = 0
    vague_tp: int = 0
    vague_fp: int = 0
    vague_fn: int = 0
    generic_tp: int = 0  # generic_only on a record the gold calls not concrete
    generic_fp: int = 0
    truncated_tp: int = 0
    truncated_fp: int = 0
    truncated_fn: int = 0
    totals_labelled: int = 0
    totals_correct: int = 0
    silent_misses: int = 0  # notices with gold records missed and no notice-level warning

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
        if not (self.gold or self.predicted):
            return 1.0  # a lookalike with nothing to find, and nothing found
        return _f1(self.precision, self.recall)

    @computed_field
    @property
    def strict_f1(self) -> float:
        if not (self.gold or self.predicted):
            return 1.0
        return _f1(_ratio(self.strict_matched, self.predicted), _ratio(self.strict_matched, self.gold))

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
    def concrete_accuracy(self) -> float:
        return _ratio(self.concrete_correct, self.matched)

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

    @computed_field
    @property
    def generic_precision(self) -> float:
        if not (self.generic_tp + self.generic_fp):
            return 1.0
        return _ratio(self.generic_tp, self.generic_tp + self.generic_fp)

    @computed_field
    @property
    def totals_accuracy(self) -> float:
        return _ratio(self.totals_correct, self.totals_labelled) if self.totals_labelled else 1.0


MismatchKind = Literal[
    "missing",
    "extra",
    "boundary",
    "status",
    "measures",
    "concrete",
    "vague_missed",
    "vague_extra",
    "generic_extra",
    "truncated_missed",
    "truncated_extra",
    "totals",
    "silent_miss",
]


class Mismatch(BaseModel):
    """One disagreement with the gold labels, for reading what to fix."""

    kind: MismatchKind
    problem: str
    gold: str | None = None
    predicted: str | None = None
    gold_place: str | None = None
    predicted_place: str | None = None


def is_flagged(record: Record, code: FlagCode) -> bool:
    return code in {f.code for f in record.flags}


def is_flagged_vague(record: Record) -> bool:
    return is_flagged(record, FlagCode.VAGUE_COMPLETION)


def _place(record: Record) -> str:
    return record.record_id


def score_pairs(
    gold: list[GoldRecord], predicted: list[Record], pairs: list[tuple[int, int, float]]
) -> tuple[Scores, list[Mismatch]]:
    """Record-level counts for matched pairs, misses and extras."""
    scores = Scores(gold=len(gold), predicted=len(predicted), matched=len(pairs))
    mismatches: list[Mismatch] = []
    matched_g = {g for g, _, _ in pairs}
    matched_p = {p for _, p, _ in pairs}

    def add(kind: MismatchKind, g: GoldRecord | None, p: Record | None, gv: object = None, pv: object = None):
        mismatches.append(
            Mismatch(
                kind=kind,
                problem=g.problem if g else p.problem if p else "",
                gold=None if gv is None else str(gv),
                predicted=None if pv is None else str(pv),
                gold_place=g.place if g else None,
                predicted_place=_place(p) if p else None,
            )
        )

    for gi, pi, _ in pairs:
        g, p = gold[gi], predicted[pi]
        if is_strict(g.problem, p.problem):
            scores.strict_matched += 1
        else:
            add("boundary", g, p, g.problem, p.problem)
        if g.status == p.status:
            scores.status_correct += 1
        else:
            add("status", g, p, g.status.value, f"{p.status.value}（{p.status_text or '无依据'}）")
        error = abs(g.measures - len(p.measures))
        scores.measure_abs_error += error
        if error == 0:
            scores.measure_exact += 1
        else:
            add("measures", g, p, g.measures, len(p.measures))
        if g.concrete == p.concrete:
            scores.concrete_correct += 1
        else:
            found = "；".join(f"{e.type.value}:{e.text}" for e in p.evidence) or "无"
            add(
                "concrete",
                g,
                p,
                f"{'具体' if g.concrete else '空泛'}（{g.why}）",
                f"{'具体' if p.concrete else '空泛'}（{found}）",
            )
        _vague(scores, add, g, p)
        _generic(scores, add, g, p)
        _truncated(scores, add, g, p)
    for gi, g in enumerate(gold):
        if gi not in matched_g:
            add("missing", g, None)
            _vague(scores, add, g, None)
            _truncated(scores, add, g, None)
    for pi, p in enumerate(predicted):
        if pi not in matched_p:
            add("extra", None, p)
            _vague(scores, add, None, p)
            _generic(scores, add, None, p)
            _truncated(scores, add, None, p)
    return scores, mismatches


def _vague(scores: Scores, add, g: GoldRecord | None, p: Record | None) -> None:
    gold_vague = bool(g and g.vague)
    pred_vague = bool(p and is_flagged_vague(p))
    if gold_vague and pred_vague:
        scores.vague_tp += 1
    elif pred_vague:
        scores.vague_fp += 1
        add("vague_extra", g, p, g.why if g else None)
    elif gold_vague:
        scores.vague_fn += 1
        add("vague_missed", g, p, g.why if g else None)


def _generic(scores: Scores, add, g: GoldRecord | None, p: Record) -> None:
    if not is_flagged(p, FlagCode.GENERIC_ONLY):
        return
    if g is not None and not g.concrete:
        scores.generic_tp += 1
    else:
        scores.generic_fp += 1
        add("generic_extra", g, p, g.why if g else None)


def _truncated(scores: Scores, add, g: GoldRecord | None, p: Record | None) -> None:
    gold_cut = bool(g and g.partial)
    pred_cut = bool(p and p.truncated)
    if gold_cut and pred_cut:
        scores.truncated_tp += 1
    elif pred_cut:
        scores.truncated_fp += 1
        add("truncated_extra", g, p)
    elif gold_cut:
        scores.truncated_fn += 1
        add("truncated_missed", g, p)


def totals_agree(gold: GoldNotice, totals: Totals | None) -> bool:
    """Predicted totals equal the labelled ones: the same numbers, or both unreadable, or both absent."""
    if gold.totals is None or totals is None:
        return gold.totals is None and totals is None
    if gold.totals.unreadable or totals.unreadable:
        return gold.totals.unreadable and totals.unreadable
    return totals.numbers() == gold.totals.numbers()


def _totals_text(totals: TotalsCounts | None) -> str:
    if totals is None:
        return "无"
    if totals.unreadable:
        return "无法识别"
    return "，".join(f"{k}={v}" for k, v in totals.numbers().items())


def score_notice(gold: GoldNotice, result: NoticeResult) -> tuple[Scores, list[Mismatch]]:
    """Records, totals and the notice-level warnings of one notice against its gold labels."""
    predicted = result.records
    pairs = match([g.problem for g in gold.records], [p.problem for p in predicted])
    scores, mismatches = score_pairs(gold.records, predicted, pairs)
    scores.notices = 1
    if gold.totals_labelled:
        scores.totals_labelled = 1
        if totals_agree(gold, result.meta.totals):
            scores.totals_correct = 1
        else:
            expected = _totals_text(gold.totals)
            mismatches.append(
                Mismatch(
                    kind="totals",
                    problem="（汇总数字）",
                    gold=expected,
                    predicted=_totals_text(result.meta.totals),
                )
            )
    missed = len(gold.records) - len(pairs)
    warned = any(f.code in WARNING_FLAGS for f in result.flags)
    if missed and not warned:
        scores.silent_misses = 1
        mismatches.append(
            Mismatch(
                kind="silent_miss", problem="（整篇通报）", gold=f"漏抽 {missed} 条", predicted="无通报级提示"
            )
        )
    return scores, mismatches
