"""With a chat model, the model fills the RecordQuery; the same executor runs it (fake models and
the local OpenAI-compatible test server)."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAIServer, Reply, completion, system_text
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage

from assistant.providers.llm import make_chat_model
from assistant.qa import answer
from assistant.qa.query import Target
from assistant.settings import Settings, get_settings

QUESTION = "哪些单位追缴或退回了资金？"


@pytest.fixture(autouse=True)
def _cache_in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("AUDIT_LLM_MAX_RETRIES", "1")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def fake(*replies: str) -> GenericFakeChatModel:
    return GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies]))


def routed(query: dict[str, Any] | None) -> str:
    return json.dumps({"records_question": query is not None, "query": query}, ensure_ascii=False)


def test_the_models_query_is_run_by_the_executor(sample_store) -> None:
    model = fake(routed({"target": "sum", "organisations": ["望江交管大队"], "money": ["returned"]}))
    a = answer(QUESTION, sample_store, llm=model)
    assert a.mode == "records"
    assert a.records is not None and a.records.query.target == Target.SUM
    assert a.records.total_yuan == Decimal("64246")
    assert {c.source_name for c in a.citations} == {"001_3fc582a97ef44a37.txt"}


def test_invalid_model_output_falls_back_to_the_rules(sample_store) -> None:
    bad = routed({"target": "records", "statuses": ["2018-09-15"]})
    a = answer(QUESTION, sample_store, llm=fake(bad, bad))
    assert a.mode == "records"
    assert a.records is not None and a.records.query.target == Target.UNITS  # the rules' query
    assert len(a.records.rows) == 11


def test_the_model_can_send_a_question_to_retrieval(sample_store) -> None:
    model = fake(routed(None), "涉案财物丢失后设立了涉案财物保管室[1]。")
    a = answer("哪些措施整改了涉案财物丢失问题？", sample_store, llm=model)
    assert a.mode == "llm"
    assert a.records is None


def test_made_up_notice_ids_are_dropped(sample_store) -> None:
    model = fake(routed({"target": "count", "notice_ids": ["no-such-notice"], "any_flag": True}))
    a = answer("有多少条存疑记录？", sample_store, llm=model)
    assert a.records is not None and a.records.query.notice_ids == []
    assert a.records.count == sum(1 for r in sample_store.records() if r.flags)


def test_through_an_openai_compatible_endpoint(sample_store, tmp_path: Path) -> None:
    seen: list[str] = []

    def reply(body: dict[str, Any]) -> Reply:
        seen.append(system_text(body))
        assert body["response_format"]["type"] == "json_schema"
        schema = json.dumps(body["response_format"]["json_schema"], ensure_ascii=False)
        assert "records_question" in schema and "personnel" in schema
        return completion(
            {"records_question": True, "query": {"target": "records", "personnel": ["dismissal"]}}
        )

    with FakeOpenAIServer(route=reply) as server:
        settings = Settings(
            base_url=server.url, api_key="k", model="m", max_retries=0, cache_dir=tmp_path / "c"
        )
        a = answer("谁被免职了？", sample_store, llm=make_chat_model(settings))
    assert seen and seen[0].startswith("你是巡察整改进展情况通报的审核助手。你的任务不是回答问题")
    assert "中共新野县交通运输局党组" in seen[0]  # the units in the store are named to the model
    assert a.records is not None
    assert [r.problem for r in a.records.rows] == ["未严格落实省市交通行政执法裁量标准"]
