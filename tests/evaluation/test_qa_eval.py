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


def test_set_questions_cover_every_kind_in_five_styles() -> None:
    items = [i for i in load_qa(REPO / "evals" / "qa.jsonl") if i.kind]
    assert len(items) >= 60
    styles: dict[str, set[str]] = {}
    for item in items:
        styles.setdefault(item.kind, set()).add(item.style or "")
    assert all(s >= {"formal", "colloquial", "unit", "year", "negative"} for s in styles.values()), styles
    sums = [i for i in items if i.kind == "money_sum"]
    assert all(i.sum_given for i in sums)


def test_set_scoring_per_kind(tmp_path: Path, notices_dir: Path) -> None:
    """Scored by the records returned: a wrong row costs precision, a missed one recall."""
    lines = [
        {
            "question": "哪些整改声称完成但措施空泛？",
            "kind": "vague",
            "style": "formal",
            "expected_records": [
                {"notice": "000_097681a73ff5d2da.txt", "problem": "职级晋升任免权限不合规"},
                {"notice": "004_fb4d16d8d0ed6c2d.txt", "problem": "项目建设实施质量把关不严"},
            ],
        },
        {
            "question": "望江交管大队退回或上交的资金一共多少元？",
            "kind": "money_sum",
            "style": "unit",
            "expected_records": [
                {"notice": "001_3fc582a97ef44a37.txt", "problem": "内控机制执行不严"},
                {"notice": "001_3fc582a97ef44a37.txt", "problem": "购买劳务服务和工程结算中多支付税费"},
                {"notice": "001_3fc582a97ef44a37.txt", "problem": "固定资产管理不到位"},
            ],
            "expected_sum_yuan": 64246,
        },
    ]
    qa = tmp_path / "qa.jsonl"
    qa.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines), encoding="utf-8")
    report = run_qa_eval(qa, notices_dir, store_dir=tmp_path / "store")
    assert report.set_questions == 2 and report.retrieval_questions == 0
    by_kind = {k.kind: k for k in report.set_kinds}
    vague = by_kind["vague"]  # the answer has a third vague record the line above leaves out
    assert (vague.precision, vague.recall, vague.exact) == (2 / 3, 1.0, 0.0)
    money = by_kind["money_sum"]
    assert (money.f1, money.values, money.exact) == (1.0, 1.0, 1.0)
    (miss,) = [i.set_score for i in report.items if i.set_score and not i.set_score.exact]
    assert miss.extra == ["000·交警支队个别民辅警履职能力有待增强"]
    console = Console(record=True, width=140)
    render_qa_report(report, console)
    out = console.export_text()
    assert "声称完成但措施空泛" in out and "资金合计" in out
