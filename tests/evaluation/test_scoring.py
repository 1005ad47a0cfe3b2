"""The scorer on small hand-made cases (exact counts) and on the real gold labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.gold import GoldError, GoldRecord, load_gold
from assistant.evaluation.matching import match, normalise_problem
from assistant.evaluation.metrics import score_pairs
from assistant.evaluation.runner import evaluate
from assistant.models import Flag, FlagCode, Measure, Record, Severity, Span, Status
from assistant.paths import gold_dir
from assistant.pipeline import process_file

SPAN = Span(start=0, end=1)


def _record(problem: str, status: Status, measures: int, vague: bool = False) -> Record:
    flags = [Flag(code=FlagCode.VAGUE_COMPLETION, severity=Severity.HIGH, reason="x")] if vague else []
    return Record(
        notice_id="n",
        record_id=problem,
        problem=problem,
        problem_span=SPAN,
        status=status,
        measures=[Measure(text="m", span=SPAN)] * measures,
        flags=flags,
        source_span=SPAN,
    )


def _gold(problem: str, status: str, measures: int, vague: bool = False) -> GoldRecord:
    return GoldRecord(problem=problem, status=status, measures=measures, concrete=not vague, vague=vague)


def test_normalise_strips_wrappers_width_and_punctuation():
    assert normalise_problem("关于“网约车审批至今未开展”问题。") == "网约车审批至今未开展"
    assert normalise_problem("针对 理论学习不深入 问题") == "理论学习不深入"
    assert normalise_problem("ＡＢ，ｃ") == "ABc"


def test_matching_is_one_to_one_and_prefers_the_exact_pair():
    gold = ["车辆燃油使用不规范", "公务用车管理不规范"]
    predicted = ["公务用车管理不规范问题", "车辆燃油使用不规范", "车辆燃油使用不够规范"]
    assert [(g, p) for g, p, _ in match(gold, predicted)] == [(0, 1), (1, 0)]


def test_matching_ignores_unrelated_text():
    assert match(["车辆燃油使用不规范"], ["落实科技兴警有差距"]) == []


def test_scores_count_every_kind_of_disagreement():
    gold = [_gold("甲问题很长的描述", "完成", 3, vague=True), _gold("乙问题很长的描述", "阶段性完成", 2), _gold("丙漏抽的问题", "完成", 1)]
    predicted = [
        _record("甲问题很长的描述", Status.COMPLETED, 3, vague=True),
        _record("乙问题很长的描述", Status.COMPLETED, 1, vague=True),
        _record("丁多抽出来的一条", Status.UNSTATED, 0),
    ]
    pairs = match([g.problem for g in gold], [p.problem for p in predicted])
    scores, mismatches = score_pairs(gold, predicted, pairs)
    assert (scores.gold, scores.predicted, scores.matched) == (3, 3, 2)
    assert scores.precision == pytest.approx(2 / 3) and scores.recall == pytest.approx(2 / 3)
    assert scores.status_accuracy == 0.5
    assert (scores.measure_exact, scores.measure_mae) == (1, 0.5)
    assert (scores.vague_tp, scores.vague_fp, scores.vague_fn) == (1, 1, 0)
    assert sorted(m.kind for m in mismatches) == ["extra", "measures", "missing", "status", "vague_extra"]


def test_no_vague_anywhere_is_perfect_agreement():
    scores, _ = score_pairs([_gold("甲问题", "未说明", 1)], [_record("甲问题", Status.UNSTATED, 1)], [(0, 0, 1.0)])
    assert scores.vague_f1 == 1.0


def test_gold_files_cover_every_sample_notice(notices_dir: Path):
    golds = load_gold(gold_dir())
    assert sorted(g.notice for g in golds) == sorted(p.name for p in notices_dir.glob("*.txt"))
    for g in golds:
        for r in g.records:
            assert r.vague == (r.status == Status.COMPLETED and not r.concrete), r.problem


def test_gold_problems_are_quoted_from_the_notice(notices_dir: Path, sample_text):
    for g in load_gold(gold_dir()):
        text = sample_text(g.notice[:3])
        missing = [r.problem for r in g.records if normalise_problem(r.problem) not in normalise_problem(text)]
        assert not missing, (g.notice, missing)


def test_bad_gold_file_names_the_file(tmp_path: Path):
    (tmp_path / "x.json").write_text(json.dumps({"notice": "a.txt", "records": [{"problem": "p"}]}), encoding="utf-8")
    with pytest.raises(GoldError, match=r"x\.json"):
        load_gold(tmp_path)


def test_missing_notice_is_scored_as_missed_and_reported(tmp_path: Path):
    (tmp_path / "g.json").write_text(
        json.dumps({"notice": "nope.txt", "records": [{"problem": "p", "status": "完成", "measures": 1,
                                                      "concrete": True, "vague": False}]}),
        encoding="utf-8",
    )
    report = evaluate(tmp_path, tmp_path, lambda p: [])
    assert report.overall.recall == 0.0
    assert "nope.txt" in (report.notices[0].error or "")


def test_rules_extractor_meets_the_targets_on_the_samples(notices_dir: Path):
    report = evaluate(gold_dir(), notices_dir, lambda p: process_file(p).result.records)
    values = {t.metric: round(t.value, 3) for t in report.targets}
    assert report.passed, values
