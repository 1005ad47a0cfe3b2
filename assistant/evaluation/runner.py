"""Run a predictor over every labelled notice and score it against the gold labels."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from pydantic import BaseModel, Field

from assistant.evaluation.gold import load_gold
from assistant.evaluation.matching import match
from assistant.evaluation.metrics import Mismatch, Scores, score_pairs
from assistant.models import Record

Predictor = Callable[[Path], list[Record]]

# Targets the product commits to on the sample notices (issue 2).
TARGETS: dict[str, float] = {"f1": 0.97, "status_accuracy": 0.95, "vague_f1": 0.9, "measure_exact_rate": 0.85}


class NoticeScore(BaseModel):
    notice: str
    scores: Scores
    mismatches: list[Mismatch] = Field(default_factory=list)
    error: str | None = None


class Target(BaseModel):
    metric: str
    threshold: float
    value: float

    @property
    def passed(self) -> bool:
        return self.value >= self.threshold


class EvalReport(BaseModel):
    extractor: str | None = None
    notices: list[NoticeScore]
    overall: Scores
    targets: list[Target]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


def evaluate(gold_dir: Path, notices_dir: Path, predict: Predictor, extractor: str | None = None) -> EvalReport:
    """Score each gold notice; a notice that fails to load counts all its gold records as missed."""
    rows: list[NoticeScore] = []
    for gold in load_gold(gold_dir):
        path = notices_dir / gold.notice
        try:
            if not path.is_file():
                raise FileNotFoundError(f"找不到通报文件 {path}（用 --notices 指定通报目录）")
            predicted = predict(path)
        except Exception as exc:  # scored as a total miss, reported, and the rest still run
            scores, mismatches = score_pairs(gold.records, [], [])
            rows.append(NoticeScore(notice=gold.notice, scores=scores, mismatches=mismatches, error=str(exc)))
            continue
        pairs = match([g.problem for g in gold.records], [p.problem for p in predicted])
        scores, mismatches = score_pairs(gold.records, predicted, pairs)
        rows.append(NoticeScore(notice=gold.notice, scores=scores, mismatches=mismatches))
    overall = sum((r.scores for r in rows), Scores())
    targets = [Target(metric=m, threshold=t, value=getattr(overall, m)) for m, t in TARGETS.items()]
    return EvalReport(extractor=extractor, notices=rows, overall=overall, targets=targets)
