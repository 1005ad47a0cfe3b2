"""Question answering over the stored notices: retrieve, then answer with citations.

Three ways to answer, chosen in this order:
- set/count/sum questions ("哪些问题是阶段性完成的?", "追缴退回的资金共多少?") → a typed query over
  the records table (`router.py` or the model fills `query.py`'s RecordQuery, `execute.py` runs it,
  `records.py` writes the cited answer);
- with a chat model → cited prose from numbered passages (`llm.py`);
- offline → quoted sentences from the top passages (`extractive.py`), or "通报中没有相关信息"
  when the evidence is too weak.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from assistant.qa.models import Answer, Citation

if TYPE_CHECKING:
    from langchain_core.language_models.chat_models import BaseChatModel

    from assistant.providers.caller import LLMCaller
    from assistant.store import NoticeStore, SearchFilters

__all__ = ["Answer", "Citation", "answer", "stream_answer"]


def _offline(question: str, store: NoticeStore, k: int, filters: SearchFilters | None) -> Answer:
    from assistant.qa.evidence import corpus_idf
    from assistant.qa.extractive import extractive_answer, layouts_of
    from assistant.qa.retrieval import retrieve

    found = retrieve(question, store, k=k, filters=filters)
    keys = {(h.chunk.notice_id, h.chunk.record_id) for h in found.hits if h.chunk.record_id}
    return extractive_answer(
        question,
        found.tokens,
        found.hits,
        corpus_idf(store),
        layouts=layouts_of(store.get_records(keys)),
        notices_named=len(found.scope.notice_ids),
    )


def answer(
    question: str,
    store: NoticeStore,
    *,
    k: int = 5,
    filters: SearchFilters | None = None,
    llm: LLMCaller | BaseChatModel | None = None,
) -> Answer:
    """The answer to one question, with its citations checked. A bare chat model is called
    through an LLMCaller (retries, usage); pass the caller to read its usage after."""
    from assistant.qa.records import records_answer

    by_records = records_answer(question, store, filters, llm)
    if by_records is not None:
        return by_records
    if llm is None:
        return _offline(question, store, k, filters)
    from assistant.providers.caller import as_caller
    from assistant.qa.extractive import not_found
    from assistant.qa.llm import llm_answer
    from assistant.qa.retrieval import retrieve

    found = retrieve(question, store, k=k, filters=filters)
    if not found.hits:
        return not_found(question, banner=None)
    return llm_answer(question, found.hits, as_caller(llm))


def stream_answer(
    question: str,
    store: NoticeStore,
    *,
    k: int = 5,
    filters: SearchFilters | None = None,
    llm: LLMCaller | BaseChatModel | None = None,
) -> Iterator[str | Answer]:
    """Text deltas, then the final Answer last (answers not written by a model come in one piece)."""
    from assistant.qa.records import records_answer

    by_records = records_answer(question, store, filters, llm)
    if by_records is None and llm is not None:
        from assistant.providers.caller import as_caller
        from assistant.qa.llm import llm_stream
        from assistant.qa.retrieval import retrieve

        found = retrieve(question, store, k=k, filters=filters)
        if found.hits:
            yield from llm_stream(question, found.hits, as_caller(llm))
            return
    final = by_records or answer(question, store, k=k, filters=filters, llm=llm)
    yield final.text
    yield final
