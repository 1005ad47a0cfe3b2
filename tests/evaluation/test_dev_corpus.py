"""The development corpus: gold files that read, problems quoted from their notices, targets met on dev."""

from __future__ import annotations

import pytest

from assistant.evaluation.gold import load_gold
from assistant.evaluation.matching import normalise_problem
from assistant.evaluation.runner import default_sets, evaluate
from assistant.ingest import load_notice
from assistant.models import Status
from assistant.pipeline import process_file

SETS = {s.name: s for s in default_sets()}


@pytest.mark.parametrize("name", ["dev", "holdout"])
def test_gold_is_consistent_and_quoted_from_the_notices(name: str) -> None:
    eval_set = SETS[name]
    golds = load_gold(eval_set.gold_dir)
    assert len(golds) >= {"dev": 18, "holdout": 9}[name]
    for gold in golds:
        text = normalise_problem(load_notice(eval_set.notices_dir / gold.notice).text)
        for r in gold.records:
            assert r.vague == (r.status == Status.COMPLETED and not r.concrete), (gold.notice, r.problem)
            assert normalise_problem(r.problem) in text, (gold.notice, r.problem)
        assert gold.totals_labelled, gold.notice


def test_the_corpus_holds_lookalikes_cut_texts_and_every_format() -> None:
    golds = load_gold(SETS["dev"].gold_dir) + load_gold(SETS["holdout"].gold_dir)
    assert sum(1 for g in golds if not g.records) >= 3
    assert sum(1 for g in golds if any(r.partial for r in g.records)) >= 2
    assert {g.notice.rsplit(".", 1)[1] for g in golds} >= {"txt", "docx", "pdf", "html"}


def test_rules_meet_the_targets_on_the_development_set() -> None:
    report = evaluate([SETS["dev"]], lambda p: process_file(p).result)
    values = {t.metric: round(t.value, 3) for t in report.targets}
    assert report.passed, values
