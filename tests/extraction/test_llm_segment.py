"""The model segments what the outline could not: quoted starts, aligned, read by the same rules.

Through the local OpenAI-compatible test server and the real openai client.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from fake_openai import FakeOpenAIServer, Reply, completion, system_text, user_text

from assistant.extraction.llm import LLMExtractor
from assistant.extraction.segment import needs_segmenting
from assistant.ingest import notice_from_text
from assistant.models import Outline, Span, Status, Totals
from assistant.pipeline import process_notice
from assistant.settings import Settings

NOTICE = (
    "中共某镇委员会关于巡察整改进展情况的通报\n"
    "根据县委统一部署，县委第一巡察组对镇党委开展了巡察，反馈问题2个。现将整改情况通报如下。\n"
    "关于食堂采购台账缺失的问题，已补建采购台账，逐笔登记2024年以来的采购记录86笔，该问题已整改到位。\n"
    "关于公车私用的问题，对涉事驾驶员给予诫勉谈话，车辆已加装定位系统，正在清理历史派车单。\n"
    "欢迎广大干部群众监督。\n"
)


def route(body: dict[str, Any]) -> Reply:
    system = system_text(body)
    if system.startswith("你是巡察整改通报的结构分析助手"):
        return completion(
            {
                "first_words": [
                    "关于食堂采购台账缺失的问题，",
                    "关于公车私用的问题",
                    "关于会议室超标准装修的问题",
                ],
                "problems": ["食堂采购台账缺失", "公车私用", "会议室超标准装修"],  # the third is invented
            }
        )
    section = user_text(body)
    if "食堂" in section:
        return completion(
            {
                "problem": "食堂采购台账缺失",
                "status": "完成",
                "status_text": "该问题已整改到位",
                "measures": ["已补建采购台账，逐笔登记2024年以来的采购记录86笔"],
                "deadline": None,
            }
        )
    # a hostile answer: claims completion with words the record does not hold
    return completion(
        {
            "problem": "公车私用",
            "status": "完成",
            "status_text": "已全部整改完毕",
            "measures": ["对涉事驾驶员给予诫勉谈话", "车辆已加装定位系统"],
            "deadline": None,
        }
    )


def settings_for(server: FakeOpenAIServer, tmp_path: Path) -> Settings:
    return Settings(
        base_url=server.url,
        api_key="test-key",
        model="stub-model",
        timeout=2.0,
        max_retries=1,
        concurrency=1,
        cache_dir=tmp_path / "cache",
    )


def test_offline_the_notice_gives_no_records_and_says_why() -> None:
    result = process_notice(notice_from_text(NOTICE, "n.txt"))
    assert result.records == [] and "未识别到编号结构" in result.flags[0].reason


def test_a_notice_without_an_outline_is_segmented_by_the_model(tmp_path: Path) -> None:
    notice = notice_from_text(NOTICE, "n.txt")
    with FakeOpenAIServer(route=route) as server:
        ex = LLMExtractor("llm", settings_for(server, tmp_path), judge=False)
        records = ex(notice, Outline(styles=[], nodes=[]))
        asked = [json.loads(json.dumps(b)) for b in server.requests]
    assert [r.problem for r in records] == ["食堂采购台账缺失", "公车私用"]
    for r in records:  # every value is the notice's own characters at its span
        assert r.problem_span.slice(notice.text) == r.problem
        assert all(m.span.slice(notice.text) == m.text for m in r.measures)
    food, car = records
    assert (food.status, food.status_text) == (Status.COMPLETED, "该问题已整改到位")
    assert food.measures[0].evidence and food.measures[0].evidence[0].text == "86笔"
    # the invented record is dropped, never shown; the unsupported status words are not kept
    assert "会议室超标准装修" not in {r.problem for r in records}
    # the model's "完成" rests on words the notice does not hold: the rules' reading stands, noted
    assert "状态依据：已全部整改完毕" in car.unaligned
    assert (car.status, car.status_text) == (Status.PARTIAL, "正在")
    assert car.errors and car.errors[0].startswith("大模型给出的状态“完成”在原文中没有依据")
    assert ex.usage.dropped_values >= 2
    segment_calls = [b for b in asked if system_text(b).startswith("你是巡察整改通报的结构分析助手")]
    assert len(segment_calls) == 1 and "关于公车私用的问题" in user_text(segment_calls[0])


def test_segmenting_is_asked_for_when_records_fall_short_of_the_totals() -> None:
    totals = Totals(text="反馈问题3个", span=Span(start=0, end=6), problems=3)
    assert needs_segmenting([], None)
    assert not needs_segmenting([object()] * 3, totals)  # type: ignore[list-item]
    assert needs_segmenting([object()] * 2, totals)  # type: ignore[list-item]
    assert not needs_segmenting([object()] * 2, totals.model_copy(update={"unreadable": True}))  # type: ignore[list-item]
