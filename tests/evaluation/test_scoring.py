"""The scorer on small hand-made cases (exact counts) and on the real gold labels."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from assistant.evaluation.gold import GoldError, GoldNotice, GoldRecord, load_gold
from assistant.evaluation.matching import match, normalise_problem
from assistant.evaluation.metrics import score_notice, score_pairs
from assistant.evaluation.runner import EvalSet, evaluate, evaluate_set
from assistant.models import (
    Evidence,
    EvidenceType,
    Flag,
    FlagCode,
    Measure,
    NoticeMeta,
    NoticeResult,
    Record,
    Severity,
    Span,
    Status,
)
from assistant.paths import examples_dir, gold_dir
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
    gold = [
        _gold("甲问题很长的描述", "完成", 3, vague=True),
        _gold("乙问题很长的描述", "阶段性完成", 2),
        _gold("丙漏抽的问题", "完成", 1),
    ]
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
    assert sorted(m.kind for m in mismatches) == [
        "concrete",
        "extra",
        "measures",
        "missing",
        "status",
        "vague_extra",
    ]


def test_no_vague_anywhere_is_perfect_agreement():
    scores, _ = score_pairs(
        [_gold("甲问题", "未说明", 1)], [_record("甲问题", Status.UNSTATED, 1)], [(0, 0, 1.0)]
    )
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
        missing = [
            r.problem for r in g.records if normalise_problem(r.problem) not in normalise_problem(text)
        ]
        assert not missing, (g.notice, missing)


def test_bad_gold_file_names_the_file(tmp_path: Path):
    (tmp_path / "x.json").write_text(
        json.dumps({"notice": "a.txt", "records": [{"problem": "p"}]}), encoding="utf-8"
    )
    with pytest.raises(GoldError, match=r"x\.json"):
        load_gold(tmp_path)


def test_missing_notice_is_scored_as_missed_and_reported(tmp_path: Path):
    (tmp_path / "g.json").write_text(
        json.dumps(
            {
                "notice": "nope.txt",
                "records": [
                    {"problem": "p", "status": "完成", "measures": 1, "concrete": True, "vague": False}
                ],
            }
        ),
        encoding="utf-8",
    )
    report = evaluate_set(EvalSet(name="t", label="t", gold_dir=tmp_path, notices_dir=tmp_path), _nothing)
    assert report.overall.recall == 0.0
    assert "nope.txt" in (report.notices[0].error or "")


def _nothing(path: Path) -> NoticeResult:
    return NoticeResult(notice_id="x", source_name=path.name, meta=NoticeMeta())


def test_rules_extractor_meets_the_targets_on_the_samples():
    seeds = EvalSet(name="seeds", label="样例", gold_dir=gold_dir(), notices_dir=examples_dir())
    report = evaluate([seeds], lambda p: process_file(p).result)
    values = {t.metric: round(t.value, 3) for t in report.targets}
    assert report.passed, values


def _result(records: list[Record], flags: list[FlagCode] = (), totals: dict | None = None) -> NoticeResult:
    from assistant.models import Totals

    meta = NoticeMeta(totals=Totals(text="t", span=SPAN, **totals) if totals is not None else None)
    return NoticeResult(
        notice_id="n",
        source_name="n.txt",
        meta=meta,
        records=records,
        flags=[Flag(code=c, severity=Severity.MEDIUM, reason="r") for c in flags],
    )


def _notice(records: list[GoldRecord], **extra) -> GoldNotice:
    return GoldNotice.model_validate(
        {"notice": "n.txt", "records": [r.model_dump() for r in records], **extra}
    )


def test_a_problem_cut_short_matches_leniently_but_not_strictly():
    gold = _notice([_gold("档案室未按规定设置，资料散乱存放", "完成", 1)])
    scores, mismatches = score_notice(gold, _result([_record("档案室未按规定设置", Status.COMPLETED, 1)]))
    assert (scores.matched, scores.strict_matched) == (1, 0)
    assert (scores.f1, scores.strict_f1) == (1.0, 0.0)
    assert [m.kind for m in mismatches] == ["boundary", "concrete"]


def test_concreteness_and_generic_only_precision():
    concrete = _record("甲单位窗口服务差的问题", Status.COMPLETED, 1)
    concrete.measures[0].evidence.append(Evidence(type=EvidenceType.QUANTITY, text="3人", span=SPAN))
    generic = _record("乙单位台账混乱的问题", Status.UNSTATED, 1)
    generic.flags.append(Flag(code=FlagCode.GENERIC_ONLY, severity=Severity.MEDIUM, reason="r"))
    wrongly_generic = _record("丙单位会议纪要缺失", Status.UNSTATED, 1)
    wrongly_generic.flags.append(Flag(code=FlagCode.GENERIC_ONLY, severity=Severity.MEDIUM, reason="r"))
    gold = _notice(
        [
            _gold("甲单位窗口服务差的问题", "完成", 1),
            GoldRecord(
                problem="乙单位台账混乱的问题", status="未说明", measures=1, concrete=False, vague=False
            ),
            GoldRecord(problem="丙单位会议纪要缺失", status="未说明", measures=1, concrete=True, vague=False),
        ]
    )
    scores, _ = score_notice(gold, _result([concrete, generic, wrongly_generic]))
    assert scores.concrete_correct == 2 and scores.concrete_accuracy == pytest.approx(2 / 3)
    assert (scores.generic_tp, scores.generic_fp) == (1, 1) and scores.generic_precision == 0.5


def test_truncated_records_are_scored_both_ways():
    cut = _record("甲单位窗口服务差的问题", Status.UNSTATED, 1)
    cut.truncated = True
    gold = _notice(
        [
            GoldRecord(
                problem="甲单位窗口服务差的问题",
                status="未说明",
                measures=1,
                concrete=False,
                vague=False,
                partial=True,
            ),
            GoldRecord(
                problem="乙单位台账混乱的问题", status="未说明", measures=1, concrete=False, vague=False
            ),
        ]
    )
    scores, _ = score_notice(gold, _result([cut, _record("乙单位台账混乱的问题", Status.UNSTATED, 1)]))
    assert (scores.truncated_tp, scores.truncated_fp, scores.truncated_fn) == (1, 0, 0)


def test_totals_are_compared_when_labelled():
    records = [_record("甲单位窗口服务差的问题", Status.COMPLETED, 1)]
    gold = _notice([_gold("甲单位窗口服务差的问题", "完成", 1)], totals={"problems": 1, "completed": 1})
    right, _ = score_notice(gold, _result(records, totals={"problems": 1, "completed": 1}))
    wrong, mismatches = score_notice(gold, _result(records, totals={"problems": 1, "in_progress": 1}))
    unlabelled, _ = score_notice(_notice([_gold("甲单位窗口服务差的问题", "完成", 1)]), _result(records))
    assert (right.totals_labelled, right.totals_correct) == (1, 1)
    assert (wrong.totals_labelled, wrong.totals_correct) == (1, 0)
    assert mismatches[-1].kind == "totals" and mismatches[-1].predicted == "problems=1，in_progress=1"
    assert unlabelled.totals_labelled == 0
    garbled = _notice([], totals={"unreadable": True})
    ok, _ = score_notice(garbled, _result([], totals={"unreadable": True}))
    none_stated, _ = score_notice(_notice([], totals=None), _result([], totals={"problems": 3}))
    assert ok.totals_correct == 1 and none_stated.totals_correct == 0


def test_a_notice_with_records_missed_and_no_warning_is_a_silent_miss():
    gold = _notice([_gold("甲单位窗口服务差的问题", "完成", 1)])
    silent, mismatches = score_notice(gold, _result([]))
    warned, _ = score_notice(gold, _result([], flags=[FlagCode.NO_RECORDS]))
    assert silent.silent_misses == 1 and mismatches[-1].kind == "silent_miss"
    assert warned.silent_misses == 0


def test_a_lookalike_with_nothing_found_scores_perfectly():
    scores, mismatches = score_notice(_notice([]), _result([], flags=[FlagCode.NO_RECORDS]))
    assert scores.f1 == scores.strict_f1 == 1.0 and mismatches == []


def test_sets_are_scored_apart_and_together(tmp_path: Path):
    for name in ("a", "b"):
        folder = tmp_path / name
        (folder / "gold").mkdir(parents=True)
        (folder / "n.txt").write_text("x", encoding="utf-8")
        gold = {"notice": "n.txt", "records": [_gold("甲单位窗口服务差的问题", "完成", 1).model_dump()]}
        (folder / "gold" / "n.json").write_text(json.dumps(gold, ensure_ascii=False), encoding="utf-8")

    def predict(path: Path) -> NoticeResult:
        hit = path.parent.name == "a"
        return _result([_record("甲单位窗口服务差的问题", Status.COMPLETED, 1)] if hit else [])

    sets = [
        EvalSet(name=n, label=n, gold_dir=tmp_path / n / "gold", notices_dir=tmp_path / n) for n in ("a", "b")
    ]
    report = evaluate(sets, predict)
    assert [s.overall.recall for s in report.sets] == [1.0, 0.0]
    assert report.overall.recall == 0.5 and report.overall.notices == 2
    assert report.sets[1].overall.silent_misses == 1 and not report.sets[1].passed
