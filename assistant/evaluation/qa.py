"""Scoring question answering against `evals/qa.jsonl`.

Each line names the record that answers the question (`source_problem`, matched by normalised
problem text like the extraction eval) and short key facts the answer must contain. The
notices are indexed into a fresh store, every question is asked the way `audit ask` asks it,
and the report gives retrieval hit@1/hit@5/MRR for the source record, key-fact recall,
citation validity, and how often questions the notices cannot answer are declined.

Lines with a `kind` are set questions (`qa_sets.py`): they are answered from the records table and
scored by set precision/recall/F1 per kind, apart from the retrieval figures above.
"""

from __future__ import annotations

import json
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from pydantic import BaseModel, Field
from rich import box
from rich.console import Console
from rich.table import Table

from assistant.evaluation.matching import normalise_problem, similarity
from assistant.evaluation.qa_sets import (
    SetExpectation,
    SetItemScore,
    SetKindScore,
    kind_scores,
    overall_f1,
    score_set_item,
)
from assistant.evaluation.runner import Target
from assistant.text.fold import width_fold

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.providers.caller import LLMCaller
    from assistant.qa import Answer
    from assistant.store import Hit, NoticeStore

TARGETS: dict[str, float] = {"hit_at_5": 0.9, "mrr": 0.75, "set_f1": 0.9}
SOURCE_MATCH = 0.9  # problem-text similarity at which a retrieved record is the source record
K = 5


class QAItem(BaseModel):
    question: str
    notice: str | None = None
    answer_must_contain: list[str] = Field(default_factory=list)
    source_problem: str | None = None
    kind: str | None = None  # a set question: scored by its expected set (qa_sets.py)
    style: str | None = None
    expected_records: list[dict] | None = None
    expected_units: list[str] | None = None
    expected_count: int | None = None
    expected_sum_yuan: float | None = None
    expected_counts: dict[str, int] | None = None
    sum_given: bool = False

    @property
    def answerable(self) -> bool:
        return bool(self.answer_must_contain)

    @property
    def expectation(self) -> SetExpectation | None:
        if self.kind is None:
            return None
        return SetExpectation.model_validate(
            self.model_dump() | {"expected_records": self.expected_records or []}
        )


class QAItemResult(BaseModel):
    question: str
    notice: str | None
    source_problem: str | None
    answerable: bool
    retrieval_scored: bool = False
    rank: int | None = None  # 1-based rank of the source record in retrieval; None: not in top k
    mode: str | None = None
    grounded: bool = False
    facts_found: list[str] = Field(default_factory=list)
    facts_missing: list[str] = Field(default_factory=list)
    markers: int = 0  # distinct [n] in the answer
    invalid_markers: int = 0  # [n] that point to no given passage
    cites_source: bool | None = None
    answer: str = ""
    error: str | None = None
    set_score: SetItemScore | None = None


class QAReport(BaseModel):
    mode: Literal["offline", "llm"]
    k: int = K
    questions: int
    retrieval_questions: int
    answerable: int
    unanswerable: int
    hit_at_1: float
    hit_at_5: float
    mrr: float
    key_fact_recall: float
    citation_validity: float
    cited_source_rate: float
    unanswerable_accuracy: float
    false_refusal_rate: float
    set_questions: int = 0
    set_f1: float = 1.0
    set_kinds: list[SetKindScore] = Field(default_factory=list)
    targets: list[Target]
    items: list[QAItemResult]

    @property
    def passed(self) -> bool:
        return all(t.passed for t in self.targets)


def load_qa(path: Path) -> list[QAItem]:
    items = []
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.strip():
            try:
                data = json.loads(line)
                data["sum_given"] = "expected_sum_yuan" in data
                items.append(QAItem.model_validate(data))
            except (json.JSONDecodeError, ValueError) as exc:
                raise ValueError(f"{path}:{i}: {exc}") from exc
    return items


def _fold(text: str) -> str:
    return "".join(width_fold(text).split())


def _ratio(num: float, den: float) -> float:
    return num / den if den else 0.0


def _index(notices_dir: Path, store: NoticeStore) -> None:
    from assistant.pipeline import collect_files, process_file

    for path in collect_files([notices_dir]):
        store.add(process_file(path))


class _Sources:
    """Answers 'is this chunk the source record of that question?' via the records table."""

    def __init__(self, store: NoticeStore) -> None:
        self.problems: dict[tuple[str, str], str] = {}
        self.labels: dict[tuple[str, str], str] = {}  # the problem as extracted, for set matching
        for result in store.results():
            for rec in result.records:
                self.problems[(result.notice_id, rec.record_id)] = normalise_problem(rec.problem)
                self.labels[(result.notice_id, rec.record_id)] = rec.problem

    def is_source(self, notice_id: str, source_name: str, record_id: str | None, item: QAItem) -> bool:
        if not item.source_problem or record_id is None:
            return False
        if item.notice and source_name != item.notice:
            return False
        problem = self.problems.get((notice_id, record_id))
        return (
            problem is not None
            and similarity(problem, normalise_problem(item.source_problem)) >= SOURCE_MATCH
        )

    def rank(self, hits: list[Hit], item: QAItem) -> int | None:
        for i, hit in enumerate(hits, start=1):
            c = hit.chunk
            if self.is_source(c.notice_id, c.source_name, c.record_id, item):
                return i
        return None


def _score_answer(result: QAItemResult, item: QAItem, answer: Answer, sources: _Sources) -> None:
    from assistant.qa.citations import parse_citations

    result.mode = answer.mode
    result.grounded = answer.grounded
    result.answer = answer.text
    folded = _fold(answer.text)
    result.facts_found = [f for f in item.answer_must_contain if _fold(f) in folded]
    result.facts_missing = [f for f in item.answer_must_contain if _fold(f) not in folded]
    given = {c.n for c in answer.citations}
    markers = parse_citations(answer.text)
    result.markers = len(markers)
    result.invalid_markers = sum(1 for n in markers if n not in given)
    if item.source_problem and item.answerable:
        result.cites_source = any(
            sources.is_source(c.notice_id, c.source_name, c.record_id, item) for c in answer.citations
        )


def run_qa_eval(
    qa_path: Path,
    notices_dir: Path,
    *,
    llm: LLMCaller | BaseChatModel | None = None,
    store_dir: Path | None = None,
    k: int = K,
    on_item: Callable[[QAItemResult], None] | None = None,
) -> QAReport:
    """Index `notices_dir` into a store (a temporary one unless `store_dir`), ask every question."""
    from assistant.qa import answer
    from assistant.qa.retrieval import retrieve
    from assistant.store import NoticeStore

    items = load_qa(qa_path)
    with tempfile.TemporaryDirectory(prefix="audit-qa-") as tmp:
        store = NoticeStore.open(path=store_dir or Path(tmp))
        _index(notices_dir, store)
        sources = _Sources(store)
        results: list[QAItemResult] = []
        for item in items:
            res = QAItemResult(
                question=item.question,
                notice=item.notice,
                source_problem=item.source_problem or None,
                answerable=item.answerable,
            )
            try:
                reply = answer(item.question, store, k=k, llm=llm)
                expect = item.expectation
                if expect is not None:
                    res.mode, res.answer = reply.mode, reply.text
                    res.set_score = score_set_item(item.question, expect, reply, sources.labels)
                    results.append(res)
                    if on_item:
                        on_item(res)
                    continue
                _score_answer(res, item, reply, sources)
                # set/count questions are answered from the records table, not from passages:
                # for them retrieval is not scored, citing the source record is
                if item.source_problem and reply.mode != "records":
                    res.retrieval_scored = True
                    res.rank = sources.rank(retrieve(item.question, store, k=k).hits, item)
            except Exception as exc:  # one failing question is reported, the rest still run
                res.error = f"{type(exc).__name__}: {exc}"
                if item.kind is not None:
                    missed = len(item.expected_records or [])
                    res.set_score = SetItemScore(
                        kind=item.kind, style=item.style, question=item.question, tp=0, fp=0, fn=missed
                    )
            results.append(res)
            if on_item:
                on_item(res)
        close = getattr(store, "close", None)
        if callable(close):
            close()
    return _report(results, "llm" if llm is not None else "offline", k)


def _report(all_results: list[QAItemResult], mode: Literal["offline", "llm"], k: int) -> QAReport:
    set_items = [r.set_score for r in all_results if r.set_score is not None]
    results = [r for r in all_results if r.set_score is None]
    scored = [r for r in results if r.retrieval_scored]
    answerable = [r for r in results if r.answerable]
    unanswerable = [r for r in results if not r.answerable]
    with_markers = [r for r in results if r.markers]
    source_cited = [r for r in answerable if r.cites_source is not None]
    report = QAReport(
        mode=mode,
        k=k,
        questions=len(all_results),
        retrieval_questions=len(scored),
        answerable=len(answerable),
        unanswerable=len(unanswerable),
        hit_at_1=_ratio(sum(1 for r in scored if r.rank == 1), len(scored)),
        hit_at_5=_ratio(sum(1 for r in scored if r.rank is not None and r.rank <= 5), len(scored)),
        mrr=_ratio(sum(1.0 / r.rank for r in scored if r.rank), len(scored)),
        key_fact_recall=_ratio(
            sum(len(r.facts_found) for r in answerable),
            sum(len(r.facts_found) + len(r.facts_missing) for r in answerable),
        ),
        citation_validity=_ratio(
            sum(r.markers - r.invalid_markers for r in with_markers), sum(r.markers for r in with_markers)
        )
        if with_markers
        else 1.0,
        cited_source_rate=_ratio(sum(1 for r in source_cited if r.cites_source), len(source_cited)),
        unanswerable_accuracy=_ratio(sum(1 for r in unanswerable if r.mode == "none"), len(unanswerable)),
        false_refusal_rate=_ratio(sum(1 for r in answerable if r.mode == "none"), len(answerable)),
        set_questions=len(set_items),
        set_f1=overall_f1(set_items) if set_items else 1.0,
        set_kinds=kind_scores(set_items),
        targets=[],
        items=all_results,
    )
    report.targets = [Target(metric=m, threshold=t, value=getattr(report, m)) for m, t in TARGETS.items()]
    return report


METRIC_LABELS = {
    "hit_at_1": "检索 hit@1（来源记录排第一）",
    "hit_at_5": "检索 hit@5（来源记录在前五）",
    "mrr": "检索 MRR",
    "key_fact_recall": "要点召回（答案含关键事实）",
    "citation_validity": "引用有效性（\\[n] 指向给出的段落）",
    "cited_source_rate": "答案引用了来源记录",
    "unanswerable_accuracy": "无答案问题正确拒答",
    "false_refusal_rate": "有答案问题被拒答（越低越好）",
    "set_f1": "集合问题 F1（按记录表作答，全部类别）",
}
KIND_LABELS = {
    "vague": "声称完成但措施空泛",
    "flagged": "存疑、不具体、需核实",
    "money": "追缴、退回、罚款资金",
    "money_sum": "资金合计",
    "personnel": "人员处理",
    "documents": "制定的文件制度",
    "dates": "措施日期",
    "status_list": "按状态列出",
    "status_count": "按状态、轮次计数",
    "units": "列出单位",
    "compare": "各单位比较",
}


def render_qa_report(report: QAReport, console: Console, details: bool = True) -> None:
    mode = "离线（抽取式）" if report.mode == "offline" else "大模型"
    targets = {t.metric: t for t in report.targets}
    table = Table(
        title=f"问答评测：{mode}，{report.questions} 个问题（检索评测 {report.retrieval_questions}，"
        f"无答案 {report.unanswerable}），k={report.k}",
        box=box.SIMPLE_HEAD,
    )
    table.add_column("指标")
    table.add_column("数值", justify="right")
    table.add_column("目标", justify="right")
    table.add_column("结果")
    for metric, label in METRIC_LABELS.items():
        value = getattr(report, metric)
        target = targets.get(metric)
        if target is None:
            table.add_row(label, f"{value:.3f}", "—", "")
        else:
            mark = "[green]达标[/green]" if target.passed else "[red]未达标[/red]"
            table.add_row(label, f"{value:.3f}", f"≥ {target.threshold:.2f}", mark)
    console.print(table)
    if report.set_kinds:
        kinds = Table(title=f"集合问题：{report.set_questions} 个，按类别（微平均）", box=box.SIMPLE_HEAD)
        kinds.add_column("类别", no_wrap=True, min_width=20)
        for col in ("问题数", "精确率", "召回率", "F1", "完全正确", "数值正确"):
            kinds.add_column(col, justify="right")
        for ks in report.set_kinds:
            kinds.add_row(
                KIND_LABELS.get(ks.kind, ks.kind),
                str(ks.questions),
                f"{ks.precision:.3f}",
                f"{ks.recall:.3f}",
                f"{ks.f1:.3f}",
                f"{ks.exact:.2f}",
                "—" if ks.values is None else f"{ks.values:.2f}",
            )
        console.print(kinds)
    if not details:
        return
    set_misses = [r for r in report.items if r.set_score is not None and (r.error or not r.set_score.exact)]
    if set_misses:
        st = Table(title="集合问题中未完全答对的", box=box.SIMPLE_HEAD)
        st.add_column("问题", max_width=36)
        st.add_column("漏掉", max_width=40)
        st.add_column("多出", max_width=40)
        st.add_column("数值", max_width=24)
        for r in set_misses:
            s = r.set_score
            assert s is not None
            st.add_row(
                r.question, "、".join(s.missing), "、".join(s.extra), r.error or "；".join(s.wrong_values)
            )
        console.print(st)
    misses = [
        r
        for r in report.items
        if r.set_score is None
        and (
            r.error
            or (r.retrieval_scored and (r.rank is None or r.rank > 1))
            or r.facts_missing
            or (r.answerable and r.mode == "none")
            or (not r.answerable and r.mode != "none")
        )
    ]
    if not misses:
        return
    detail = Table(title="未完全答对的问题", box=box.SIMPLE_HEAD, show_lines=False)
    detail.add_column("问题", max_width=36)
    detail.add_column("来源排名", justify="right")
    detail.add_column("方式")
    detail.add_column("缺少的要点", max_width=30)
    for r in misses:
        rank = "—" if not r.retrieval_scored else (str(r.rank) if r.rank else f">{report.k}")
        expected = "" if r.answerable else "（应拒答）"
        detail.add_row(
            r.question,
            rank,
            (r.mode or "错误") + expected,
            r.error or "、".join(r.facts_missing),
        )
    console.print(detail)
