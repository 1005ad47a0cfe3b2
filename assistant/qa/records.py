"""Questions about sets and counts, answered from the extracted records table.

"哪些问题是阶段性完成的?" or "张家界交警支队有多少个问题被标记为存疑?" need every record, not the
five passages retrieval returns; the records table (status, flags per record) answers them
exactly, and each listed record is cited by its record chunk. When a notice states its own
totals ("整改完成8个,阶段性完成1个"), that sentence is quoted too: a reviewer compares the two.
"""

from __future__ import annotations

import re
import weakref
from typing import TYPE_CHECKING, Any, Literal

from pydantic import BaseModel

from assistant.lexicon.status import status_of_phrase
from assistant.models import FlagCode, Notice, NoticeResult, Record, Span, Status
from assistant.qa.models import RECORDS_BANNER, Answer, Citation
from assistant.qa.retrieval import detect_scope

if TYPE_CHECKING:
    from assistant.chunking import Chunk
    from assistant.store import NoticeStore, SearchFilters

ANY_FLAG = "any"
MAX_LISTED = 40

_ASKS_LIST = re.compile(r"哪些|哪几|列出|列举|有什么问题|是什么问题")
_ASKS_COUNT = re.compile(r"多少|几个|几条|几项|几件|数量|有几|总数|共有|一共|总共|共计")
_TOTAL = re.compile(r"(?:列|有|反馈|包含|涉及|指出)了?(?:多少|几)个?(?:具体)?(?:问题|记录|整改事项)")
_ABOUT_RECORDS = re.compile(r"问题|记录|事项|整改项|条目")
# Asking for records whose status the notice leaves open; the other statuses are read with the one
# status lexicon every stage uses (`assistant.lexicon.status`).
_UNSTATED = re.compile(r"未说明|没有说明|未写明|未标明|没写状态|状态不明")
_NOT_DONE = re.compile(r"没有完成|仍在整改")
_FLAG_WORDS: list[tuple[str, re.Pattern[str]]] = [
    (
        FlagCode.VAGUE_COMPLETION.value,
        re.compile(r"空泛|不具体|不够具体|笼统|含糊|缺乏具体|没有具体|虚化|空洞"),
    ),
    (FlagCode.STUDY_ONLY.value, re.compile(r"(?:只|仅|光)[^，。？]{0,4}学习|以学代改|只开会")),
    (FlagCode.FUTURE_TENSE_COMPLETION.value, re.compile(r"只是?承诺|将来时|只有计划|只是计划")),
    (FlagCode.GENERIC_ONLY.value, re.compile(r"泛泛|套话|一般性表述")),
    (ANY_FLAG, re.compile(r"存疑|被?标记|可疑|疑点|需要?核查|需要?核实|需要?跟进|有问题的记录")),
]


class RecordsQuery(BaseModel):
    kind: Literal["count", "list"]
    status: Status | None = None
    flag: str | None = None  # a FlagCode value, or "any"
    notice_ids: list[str] | None = None  # None: every notice
    scope_words: list[str] = []


def _status_asked(question: str) -> Status | None:
    if _UNSTATED.search(question):
        return Status.UNSTATED
    if _NOT_DONE.search(question):
        return Status.IN_PROGRESS
    return status_of_phrase(question)


def parse_records_query(question: str, results: list[NoticeResult]) -> RecordsQuery | None:
    """A set/count question over the records table, or None for an ordinary question."""
    counts = bool(_ASKS_COUNT.search(question))
    lists = bool(_ASKS_LIST.search(question))
    if not (counts or lists):
        return None
    status = _status_asked(question)
    flag = next((code for code, rx in _FLAG_WORDS if rx.search(question)), None)
    if flag == FlagCode.VAGUE_COMPLETION.value:
        status = None  # "号称完成但空泛": the flag already means status 完成
    total = counts and bool(_TOTAL.search(question))
    if status is None and flag is None and not total:
        return None
    if not _ABOUT_RECORDS.search(question):
        return None  # "完成了多少座危桥改建" counts bridges, not problems
    scope = detect_scope(question, results)
    return RecordsQuery(
        kind="count" if counts and not lists else "list",
        status=status,
        flag=flag,
        notice_ids=scope.notice_ids or None,
        scope_words=scope.mentions,
    )


def _notice_passes(result: NoticeResult, q: RecordsQuery, filters: SearchFilters | None) -> bool:
    """The notice is in the question's scope and the caller's notice-level filters (--org, dates)."""
    if q.notice_ids is not None and result.notice_id not in q.notice_ids:
        return False
    if filters is None:
        return True
    meta = result.meta
    if filters.notice_id and result.notice_id != filters.notice_id:
        return False
    if filters.organisation and filters.organisation not in (meta.organisation or "") + result.source_name:
        return False
    if filters.date_from and (meta.published is None or meta.published < filters.date_from):
        return False
    return not (filters.date_to and (meta.published is None or meta.published > filters.date_to))


def _passes(record: Record, q: RecordsQuery, filters: SearchFilters | None) -> bool:
    if q.status is not None and record.status != q.status:
        return False
    if q.flag == ANY_FLAG and not record.flags:
        return False
    if q.flag not in (None, ANY_FLAG) and q.flag not in record.flag_codes:
        return False
    if filters is None:
        return True
    if filters.status and record.status.value != filters.status:
        return False
    return not (filters.flag and filters.flag not in record.flag_codes)


def _describe(q: RecordsQuery) -> str:
    parts = []
    if q.status is not None:
        parts.append(f"状态为“{q.status.value}”")
    if q.flag == ANY_FLAG:
        parts.append("被标记为存疑")
    elif q.flag:
        parts.append(f"带有标记 {q.flag}")
    return "、".join(parts) if parts else "抽取到"


_CHUNKS: weakref.WeakKeyDictionary[Any, dict[str, list[Chunk]]] = weakref.WeakKeyDictionary()


def _chunks(store: NoticeStore, notice: Notice, result: NoticeResult) -> list[Chunk]:
    """The notice's chunks as stored (same ids as search hits), cached per store."""
    per_store = _CHUNKS.setdefault(store, {})
    if notice.notice_id not in per_store:
        per_store[notice.notice_id] = store.chunks_of(notice.notice_id)
    return per_store[notice.notice_id]


def _citation(n: int, chunk: Chunk, quote: Span) -> Citation:
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        notice_id=chunk.notice_id,
        source_name=chunk.source_name,
        record_id=chunk.record_id,
        outline_path=list(chunk.outline_path),
        span=chunk.span,
        passage=chunk.text[chunk.body_offset :],
        quotes=[quote],
    )


def _containing(chunks: list[Chunk], span: Span) -> Chunk | None:
    inside = [c for c in chunks if c.span.start <= span.start and span.end <= c.span.end]
    return min(inside, key=lambda c: c.span.end - c.span.start) if inside else None


def _unit_name(result: NoticeResult) -> str:
    return result.meta.organisation or result.source_name


def records_answer(question: str, store: NoticeStore, filters: SearchFilters | None = None) -> Answer | None:
    """Answer a set/count question from the records table; None when it is not one."""
    results = store.results()
    q = parse_records_query(question, results)
    if q is None:
        return None
    in_scope = [r for r in results if _notice_passes(r, q, filters)]
    matched = [(res, rec) for res in in_scope for rec in res.records if _passes(rec, q, filters)]
    total_records = sum(len(r.records) for r in in_scope)
    narrowed = len(in_scope) < len(results)
    where = "、".join(_unit_name(r) for r in in_scope) if narrowed else f"全部 {len(in_scope)} 份通报"
    if not in_scope:
        where = "符合条件的通报"
    what = _describe(q)
    lines = [f"按抽取的记录表，{where}中{what}的问题共{len(matched)}个（共抽取{total_records}条记录）。"]
    citations: list[Citation] = []
    notices: dict[str, Notice | None] = {}

    def cite(result: NoticeResult, span: Span, record_id: str | None) -> int | None:
        if result.notice_id not in notices:
            notices[result.notice_id] = store.get_notice(result.notice_id)
        notice = notices[result.notice_id]
        if notice is None:
            return None
        chunks = _chunks(store, notice, result)
        chunk = next((c for c in chunks if record_id and c.record_id == record_id), None)
        chunk = chunk or _containing(chunks, span)
        if chunk is None:
            return None
        citations.append(_citation(len(citations) + 1, chunk, span))
        return len(citations)

    for i, (res, rec) in enumerate(matched[:MAX_LISTED], start=1):
        n = cite(res, rec.problem_span, rec.record_id)
        marker = f"[{n}]" if n else ""
        unit = "" if len(in_scope) == 1 else f"，{_unit_name(res)}"
        flags = f"，标记：{'、'.join(rec.flag_codes)}" if rec.flags else ""
        lines.append(f"{i}. {rec.problem}（{rec.status.value}{unit}{flags}）{marker}")
    if len(matched) > MAX_LISTED:
        lines.append(f"……另有{len(matched) - MAX_LISTED}个，完整列表请用 audit extract 导出。")
    if narrowed:
        for res in in_scope:
            totals = res.meta.totals
            if totals is None:
                continue
            n = cite(res, totals.span, None)
            lines.append(f"{_unit_name(res)}通报自述：“{totals.text}”" + (f"[{n}]" if n else ""))
    return Answer(
        question=question,
        text="\n".join(lines),
        citations=citations,
        mode="records",
        grounded=bool(citations),
        banner=RECORDS_BANNER,
    )
