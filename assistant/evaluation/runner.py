"""Run a predictor over labelled notices, set by set, and score it against the gold labels.

Three sets are kept apart because they answer different questions: the seeds (the five real
sample notices), the development notices the rules are tuned on, and the held-aside notices that
are never tuned on — the last is the honest estimate for notices nobody has seen.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.evaluation.gold import load_gold
from assistant.evaluation.metrics import Mismatch, Scores, score_notice, score_pairs
from assistant.models import Extractor, NoticeMeta, NoticeResult
from assistant.paths import dev_dir, examples_dir, gold_dir, holdout_dir

Predictor = Callable[[Path], NoticeResult]

TARGETS: dict[str, float] = {
    "f1": 0.95,
    "status_accuracy": 0.93,
    "measure_exact_rate": 0.85,
    "vague_f1": 0.9,
    "concrete_accuracy": 0.9,
    "generic_precision": 0.9,
}
"""What the product commits to on every set (issue 8); `silent_misses` must be 0 besides."""


class EvalSet(BaseModel):
    name: str  # seeds / dev / holdout / a folder's name
    label: str  # Chinese, for the report
    gold_dir: Path
    notices_dir: Path


def default_sets() -> list[EvalSet]:
    dev, holdout = dev_dir(), holdout_dir()
    return [
        EvalSet(name="seeds", label="样例通报", gold_dir=gold_dir(), notices_dir=examples_dir()),
        EvalSet(name="dev", label="开发集", gold_dir=dev / "gold", notices_dir=dev),
        EvalSet(name="holdout", label="留出集", gold_dir=holdout / "gold", notices_dir=holdout),
    ]


class NoticeScore(BaseModel):
    notice: str
    set: str = ""
    scores: Scores
    mismatches: list[Mismatch] = Field(default_factory=list)
    error: str | None = None


class Target(BaseModel):
    metric: str
    threshold: float
    value: float
    maximum: bool = False  # the value must not exceed the threshold (counts of failures)

    @property
    def passed(self) -> bool:
        return self.value <= self.threshold if self.maximum else self.value >= self.threshold


def targets_for(scores: Scores) -> list[Target]:
    out = [Target(metric=m, threshold=t, value=getattr(scores, m)) for m, t in TARGETS.items()]
    out.append(Target(metric="silent_misses", threshold=0, value=scores.silent_misses, maximum=True))
    return out


class SetReport(BaseModel):
    name: str
    label: str
    notices: list[NoticeScore]
    overall: Scores
    targets: list[Target]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


class EvalReport(BaseModel):
    extractor: Extractor | None = None
    sets: list[SetReport]
    overall: Scores
    targets: list[Target]

    @property
    def notices(self) -> list[NoticeScore]:
        return [n for s in self.sets for n in s.notices]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


def evaluate_set(eval_set: EvalSet, predict: Predictor) -> SetReport:
    """Score each gold notice; a notice that fails to load counts all its gold records as missed."""
    rows: list[NoticeScore] = []
    for gold in load_gold(eval_set.gold_dir):
        path = eval_set.notices_dir / gold.notice
        try:
            if not path.is_file():
                raise FileNotFoundError(f"找不到通报文件 {path}（用 --notices 指定通报目录）")
            result = predict(path)
        except Exception as exc:  # scored as a total miss, reported, and the rest still run
            empty = NoticeResult(notice_id="", source_name=gold.notice, meta=NoticeMeta())
            scores, mismatches = score_notice(gold, empty) if gold.records else score_pairs([], [], [])
            rows.append(
                NoticeScore(
                    notice=gold.notice,
                    set=eval_set.name,
                    scores=scores,
                    mismatches=mismatches,
                    error=str(exc),
                )
            )
            continue
        scores, mismatches = score_notice(gold, result)
        rows.append(NoticeScore(notice=gold.notice, set=eval_set.name, scores=scores, mismatches=mismatches))
    overall = sum((r.scores for r in rows), Scores())
    return SetReport(
        name=eval_set.name, label=eval_set.label, notices=rows, overall=overall, targets=targets_for(overall)
    )


def evaluate(sets: list[EvalSet], predict: Predictor, extractor: Extractor | None = None) -> EvalReport:
    reports = [evaluate_set(s, predict) for s in sets]
    overall = sum((r.overall for r in reports), Scores())
    return EvalReport(extractor=extractor, sets=reports, overall=overall, targets=targets_for(overall))
