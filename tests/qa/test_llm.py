"""The LLM path through langchain's fake chat model: citations checked, streaming, refusals."""

from __future__ import annotations

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.qa import Answer, answer, stream_answer
from assistant.qa.llm import build_messages
from assistant.qa.retrieval import retrieve

QUESTION = "望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？"


def fake(text: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=text)]))


def test_prompt_numbers_the_passages(sample_store) -> None:
    hits = retrieve(QUESTION, sample_store).hits
    system, user = build_messages(QUESTION, hits)
    assert "通报中没有相关信息" in system.content
    assert user.content.startswith("通报段落：\n\n[1]（望江县公安局交通管理大队；001_3fc582a97ef44a37.txt；")
    assert f"[{len(hits)}]（" in user.content
    assert f"[{len(hits) + 1}]（" not in user.content
    assert user.content.endswith(f"问题：{QUESTION}")
    assert "〔13〕号文件" in user.content or "[13]号" not in user.content


def test_llm_answer_with_valid_citation(sample_store, notice_text) -> None:
    a = answer(QUESTION, sample_store, llm=fake("赔付款8250元，已于4月5日上交国库[1]。"))
    assert a.mode == "llm"
    assert a.grounded is True
    assert a.invalid_citations == []
    (c,) = a.citations
    assert c.record_id == "(二)-10-22)"
    (q,) = c.quotes  # the sentence the claim rests on, for highlighting
    assert notice_text("001")[q.start : q.end] == "二是4月5日已将中央隔离护栏赔付款8250元上交国库"


def test_llm_citing_a_passage_it_was_not_given_is_not_grounded(sample_store) -> None:
    a = answer(QUESTION, sample_store, k=5, llm=fake("赔付款8250元已上交国库[7]。"))
    assert a.mode == "llm"
    assert a.grounded is False
    assert a.invalid_citations == [7]
    assert a.citations == []


def test_llm_mixed_citations_keep_the_valid_passage_but_are_not_grounded(sample_store) -> None:
    a = answer(QUESTION, sample_store, k=5, llm=fake("赔付款8250元[1]，已上交国库[9]。"))
    assert [c.n for c in a.citations] == [1]
    assert a.invalid_citations == [9]
    assert a.grounded is False


def test_llm_answer_citing_nothing_is_not_grounded(sample_store) -> None:
    a = answer(QUESTION, sample_store, llm=fake("赔付款8250元已上交国库。"))
    assert a.mode == "llm"
    assert a.grounded is False
    assert a.citations == []


def test_llm_refusal(sample_store) -> None:
    a = answer("张家界交警支队对无人机执法有什么规定？", sample_store, llm=fake("通报中没有相关信息。"))
    assert a.mode == "none"
    assert a.grounded is False


def test_streaming_yields_text_then_the_checked_answer(sample_store) -> None:
    text = "一是 4月5日 已将 赔付款8250元 上交国库[1]。"
    items = list(stream_answer(QUESTION, sample_store, llm=fake(text)))
    *deltas, final = items
    assert len(deltas) > 1
    assert all(isinstance(d, str) for d in deltas)
    assert "".join(deltas) == text
    assert isinstance(final, Answer)
    assert final.text == text
    assert final.grounded is True
    assert final.citations[0].record_id == "(二)-10-22)"


def test_streaming_hides_reasoning(sample_store) -> None:
    text = "<think> 先找 赔付款 </think> 8250元 已上交国库[1]。"
    *deltas, final = list(stream_answer(QUESTION, sample_store, llm=fake(text)))
    assert "".join(deltas).strip() == "8250元 已上交国库[1]。"
    assert final.text == "8250元 已上交国库[1]。"


def test_records_questions_skip_the_model(sample_store) -> None:
    # a set/count question is answered from the records table even when a model is configured
    a = answer("邵阳交警支队有哪些问题是阶段性完成的？", sample_store, llm=fake("不应被调用[1]"))
    assert a.mode == "records"
