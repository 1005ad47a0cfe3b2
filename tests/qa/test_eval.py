"""The QA scorer on a five-question subset of evals/qa.jsonl."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from assistant.evaluation.qa import load_qa, render_qa_report, run_qa_eval

REPO = Path(__file__).resolve().parents[2]
SUBSET = [
    "望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？",
    "张家界交警支队2024年有多少名辅警受到表彰？",
    "邵阳交警支队为防止公务车辆超标号加油采取了哪些措施？",
    "邵阳交警支队有哪些问题是阶段性完成的？",
    "张家界交警支队对无人机执法有什么规定？",
]


def test_qa_set_is_well_formed() -> None:
    items = load_qa(REPO / "evals" / "qa.jsonl")
    assert len(items) >= 45
    assert sum(1 for i in items if not i.answerable) >= 6
    assert all(not i.source_problem for i in items if not i.answerable)


def test_qa_eval_on_a_subset(tmp_path: Path, notices_dir: Path) -> None:
    if not hasattr(pytest.importorskip("assistant.store"), "NoticeStore"):
        pytest.skip("assistant.store.NoticeStore not available yet")
    lines = [json.loads(x) for x in (REPO / "evals" / "qa.jsonl").read_text(encoding="utf-8").splitlines()]
    chosen = [x for x in lines if x["question"] in SUBSET]
    assert len(chosen) == 5
    qa = tmp_path / "qa.jsonl"
    qa.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in chosen), encoding="utf-8")
    report = run_qa_eval(qa, notices_dir, store_dir=tmp_path / "store")
    assert report.questions == 5
    assert report.unanswerable == 1
    assert report.retrieval_questions == 3  # the records question is scored by its citation instead
    assert report.hit_at_5 == 1.0
    assert report.key_fact_recall == 1.0
    assert report.citation_validity == 1.0
    assert report.cited_source_rate == 1.0
    assert report.unanswerable_accuracy == 1.0
    assert report.false_refusal_rate == 0.0
    assert report.passed
    console = Console(record=True, width=120)
    render_qa_report(report, console)
    out = console.export_text()
    assert "检索 hit@5" in out and "达标" in out
