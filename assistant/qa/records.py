"""Questions about sets, counts and sums, answered from the extracted records table.

"哪些问题是阶段性完成的?", "哪些整改声称完成但措施空泛?" or "哪些单位追缴或退回了资金，共多少?" need
every record, not the five passages retrieval returns. The question becomes a `RecordQuery` (rules
offline, the model when one is configured), `run_query` executes it, and this module writes the
answer: every row cited by its record chunk with the words it matched highlighted, amounts in
yuan with their sum, counts per unit. When a notice states its own totals, that sentence is
quoted too: a reviewer compares the two.
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from assistant.models import EvidenceType, NoticeResult, Span
from assistant.naming import FLAG_LABELS
from assistant.qa.citations import escape_brackets
from assistant.qa.execute import run_query, unit_name
from assistant.qa.models import RECORDS_BANNER, Answer, Citation
from assistant.qa.query import (
    MONEY_LABELS,
    PERSONNEL_LABELS,
    RecordQuery,
    RecordRow,
    RecordsResult,
    Target,
)
from assistant.qa.retrieval import stored_names
from assistant.qa.router import has_set_frame, route

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.chunking import Chunk
    from assistant.providers.caller import LLMCaller
    from assistant.store import NoticeHead, NoticeStore, SearchFilters

MAX_LISTED = 40


def yuan_text(yuan: Decimal) -> str:
    """An amount in yuan as a reviewer reads it: "45400元（4.54万元）"."""
    whole = yuan.quantize(Decimal(1)) if yuan == yuan.to_integral() else yuan.normalize()
    text = f"{whole:f}元"
    if yuan >= 10_000:
        wan = (yuan / 10_000).normalize()
        text += f"（{wan:f}万元）"
    return text


def describe(q: RecordQuery) -> str:
    """What the query selects, in words ("状态为“阶段性完成”、有资金追缴或退回")."""
    parts = []
    if q.statuses:
        parts.append("状态为" + "或".join(f"“{s.value}”" for s in q.statuses))
    if q.any_flag:
        parts.append("被标记为存疑")
    elif q.flags:
        parts.append("或".join(FLAG_LABELS.get(f, "存疑") for f in q.flags[:1]))
    if q.money is not None:
        actions = "、".join(MONEY_LABELS[a] for a in q.money) if q.money else "追缴、退回或罚款"
        parts.append(f"有资金{actions}")
    if q.personnel is not None:
        steps = "或".join(PERSONNEL_LABELS[a] for a in q.personnel) if q.personnel else "人员处理"
        parts.append(f"对人员作出{steps}")
    if q.evidence:
        parts.append("制定或修订了有名称的文件制度")
    if q.dates is not None:
        span = (
            q.dates.start.isoformat() if q.dates.start == q.dates.end else f"{q.dates.start}至{q.dates.end}"
        )
        parts.append(f"措施写明的日期在{span}")
    if q.words:
        parts.append("提到" + "、".join(f"“{w}”" for w in q.words))
    return "、".join(parts) if parts else "抽取到"


def _where(result: RecordsResult, results: Sequence[NoticeResult | NoticeHead]) -> str:
    q = result.query
    scope = set(result.notices_in_scope)
    in_scope = [r for r in results if r.notice_id in scope]
    if not in_scope:
        return "符合条件的通报"
    if len(in_scope) == len(results) and not (q.notice_dates or q.round):
        return f"全部 {len(in_scope)} 份通报"
    names = "、".join(unit_name(r) for r in in_scope)
    qualifiers = []
    if q.notice_dates is not None:
        years = sorted({q.notice_dates.start.year, q.notice_dates.end.year})
        qualifiers.append("—".join(str(y) for y in years) + "年的通报")
    if q.round is not None:
        qualifiers.append(f"第{q.round}轮巡察")
    return f"{'、'.join(qualifiers)}（{names}）" if qualifiers else names


_CHUNKS: weakref.WeakKeyDictionary[Any, dict[str, list[Chunk]]] = weakref.WeakKeyDictionary()


def _chunks(store: NoticeStore, notice_id: str) -> list[Chunk]:
    """The notice's chunks as stored (same ids as search hits), cached per store."""
    per_store = _CHUNKS.setdefault(store, {})
    if notice_id not in per_store:
        per_store[notice_id] = store.chunks_of(notice_id)
    return per_store[notice_id]


def _containing(chunks: list[Chunk], span: Span) -> Chunk | None:
    inside = [c for c in chunks if c.span.start <= span.start and span.end <= c.span.end]
    return min(inside, key=lambda c: c.span.end - c.span.start) if inside else None


class _Citer:
    """Numbers the passages an answer cites: one per record chunk, quotes merged."""

    def __init__(self, store: NoticeStore) -> None:
        self.store = store
        self.citations: list[Citation] = []

    def cite(self, notice_id: str, quotes: list[Span], record_id: str | None) -> int | None:
        if not quotes:
            return None
        chunks = _chunks(self.store, notice_id)  # none when the notice is gone
        chunk = next((c for c in chunks if record_id and c.record_id == record_id), None)
        chunk = chunk or _containing(chunks, quotes[0])
        if chunk is None:
            return None
        inside = [s for s in quotes if chunk.span.start <= s.start and s.end <= chunk.span.end] or quotes[:1]
        self.citations.append(
            Citation(
                n=len(self.citations) + 1,
                chunk_id=chunk.chunk_id,
                notice_id=chunk.notice_id,
                source_name=chunk.source_name,
                record_id=chunk.record_id,
                outline_path=list(chunk.outline_path),
                span=chunk.span,
                passage=chunk.text[chunk.body_offset :],
                quotes=inside,
            )
        )
        return len(self.citations)


def _row_line(i: int, row: RecordRow, marker: str, show_unit: bool, q: RecordQuery) -> str:
    facts = [row.status.value]
    if show_unit:
        facts.append(row.unit)
    flags = [FLAG_LABELS[f] for f in row.flags if f in FLAG_LABELS]
    if flags:
        facts.append("标记：" + "、".join(flags))
    line = f"{i}. {escape_brackets(row.problem)}（{'，'.join(facts)}）{marker}"
    details = []
    for e in row.money:
        amount = yuan_text(e.yuan) if e.yuan is not None else "金额未写明"
        approx = "（约数）" if e.approximate else ""
        details.append(f"{MONEY_LABELS[e.action]} {amount}{approx}：“{escape_brackets(e.quote)}”")
    for h in row.personnel:
        details.append(f"{PERSONNEL_LABELS[h.action]}：“{escape_brackets(h.quote)}”")
    if row.documents and EvidenceType.DOCUMENT in q.evidence:
        details.append("文件：" + "、".join(escape_brackets(d) for d in row.documents))
    if row.dates:
        details.append("日期：" + "、".join(row.dates))
    if details:
        line += "\n   " + "；\n   ".join(dict.fromkeys(details))
    return line


def render(result: RecordsResult, store: NoticeStore, question: str) -> Answer:
    """The answer text for an executed query, every listed row cited."""
    q = result.query
    results = store.heads()
    scope = set(result.notices_in_scope)
    in_scope = [r for r in results if r.notice_id in scope]
    where = _where(result, results)
    what = describe(q)
    citer = _Citer(store)
    lines: list[str] = []
    listed = result.rows + result.unpriced
    if q.target == Target.SUM:
        if result.total_yuan is not None:
            lines.append(
                f"按抽取的记录表，{where}中{what}并写明金额的记录共{len(result.rows)}条，"
                f"合计{yuan_text(result.total_yuan)}"
                + (f"；另有{len(result.unpriced)}条记录未写明金额" if result.unpriced else "")
                + "。"
            )
        else:
            lines.append(
                f"按抽取的记录表，{where}中没有写明金额的{what}记录"
                + (f"（有{len(result.unpriced)}条记录提到但未写明金额）" if result.unpriced else "")
                + "，无法计算合计。"
            )
    elif q.target == Target.UNITS:
        units = [u for u in result.per_unit if u.count]
        names = "、".join(
            f"{u.unit}（{u.count}个"
            + (f"，写明金额合计{yuan_text(u.yuan)}" if u.yuan is not None else "")
            + "）"
            for u in units
        )
        lines.append(
            f"按抽取的记录表，{where}中{what}的问题共{len(result.rows)}个，涉及{len(units)}个单位"
            + (f"：{names}。" if units else "。")
        )
    else:
        lines.append(
            f"按抽取的记录表，{where}中{what}的问题共{len(result.rows)}个（共抽取{result.records_in_scope}条记录）。"
        )
    if q.target != Target.SUM and result.total_yuan is not None:
        priced = sum(1 for r in result.rows if r.yuan is not None)
        lines.append(f"其中{priced}条写明了金额，合计{yuan_text(result.total_yuan)}；其余未写明金额。")
    if not listed:
        lines.append("没有符合条件的记录。")
    if q.by_unit and in_scope and q.target == Target.SUM:
        per = "；".join(
            f"{u.unit} 合计{yuan_text(u.yuan)}（{u.count}条）" for u in result.per_unit if u.yuan is not None
        )
        lines.append(f"各单位：{per or '均未写明金额'}。")
    elif q.by_unit and in_scope:
        per = "；".join(
            f"{u.unit} {u.count}个" + (f"，写明金额合计{yuan_text(u.yuan)}" if u.yuan is not None else "")
            for u in result.per_unit
        )
        lines.append(f"各单位：{per}。")
        top = max(result.per_unit, key=lambda u: u.count)
        if top.count and sum(1 for u in result.per_unit if u.count == top.count) == 1 and len(in_scope) > 1:
            lines.append(f"最多的是{top.unit}（{top.count}个）。")
    show_unit = len(in_scope) > 1
    for i, row in enumerate(listed[:MAX_LISTED], start=1):
        n = citer.cite(row.notice_id, row.quotes, row.record_id)
        lines.append(_row_line(i, row, f"[{n}]" if n else "", show_unit, q))
    if len(listed) > MAX_LISTED:
        lines.append(f"……另有{len(listed) - MAX_LISTED}个，完整列表请用 audit extract 导出。")
    if (
        len(in_scope) < len(results)
        and q.target in (Target.COUNT, Target.RECORDS)
        and (q.statuses or what == "抽取到")
    ):
        stated = [res for res in in_scope if res.meta.totals is not None]
        for res in stated[:MAX_LISTED]:
            totals = res.meta.totals
            assert totals is not None
            n = citer.cite(res.notice_id, [totals.span], None)
            lines.append(
                f"{unit_name(res)}通报自述：“{escape_brackets(totals.text)}”" + (f"[{n}]" if n else "")
            )
        if len(stated) > MAX_LISTED:
            lines.append(f"……另有{len(stated) - MAX_LISTED}份通报的自述未列出。")
    return Answer(
        question=question,
        text="\n".join(lines),
        citations=citer.citations,
        mode="records",
        grounded=bool(citer.citations) or not listed,
        banner=RECORDS_BANNER,
        records=result,
    )


def plan(
    question: str, store: NoticeStore, llm: LLMCaller | BaseChatModel | None = None
) -> RecordQuery | None:
    """The records query for a question: the model's when one is configured, else the rules'."""
    if not has_set_frame(question):
        return None
    if llm is not None:
        from assistant.qa.query_llm import QueryNotRouted, llm_route

        try:
            return llm_route(question, store.results(), llm)
        except QueryNotRouted:
            pass  # the model failed or returned nothing valid: the rules decide
    return route(question, names=stored_names(store))


def records_answer(
    question: str,
    store: NoticeStore,
    filters: SearchFilters | None = None,
    llm: LLMCaller | BaseChatModel | None = None,
) -> Answer | None:
    """Answer a set/count/sum question from the records table; None when it is not one."""
    q = plan(question, store, llm)
    if q is None:
        return None
    return render(run_query(store, q, filters), store, question)
