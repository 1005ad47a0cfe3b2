"""The LLM path through the real openai client, against a local OpenAI-compatible test server.

The server (tests/fake_openai.py) replays recorded chat-completion responses; the extractor
talks to it exactly as to OpenAI, vLLM, DeepSeek or a llama.cpp server.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAIServer, Reply, completion, error, system_text, user_text

from assistant.extraction import EXTRACTORS
from assistant.extraction.llm import LLMExtractor
from assistant.flags import flag_record
from assistant.ingest import load_notice
from assistant.models import Alignment, AlignmentStatus, FlagCode, Record, Severity
from assistant.pipeline import ProcessedNotice, run_batch
from assistant.providers.caller import METHODS_MEMO
from assistant.settings import Settings

REC = 2  # 000's "(一)-3 交警支队个别民辅警履职能力有待增强": completed, rules flag it vague


def settings_for(server: FakeOpenAIServer, tmp_path: Path, **overrides: Any) -> Settings:
    values: dict[str, Any] = {
        "base_url": server.url,
        "api_key": "test-key",
        "model": "stub-model",
        "timeout": 2.0,
        "max_retries": 2,
        "concurrency": 1,
        "cache_dir": tmp_path / "cache",
    }
    values.update(overrides)
    return Settings(**values)


class Sleeps(list[float]):
    """Records the backoff delays instead of sleeping: tests stay fast and see what was asked."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def extractor(server: FakeOpenAIServer, tmp_path: Path, mode: str = "llm", judge: bool = False, **kw: Any):
    sleeps = Sleeps()
    ex = LLMExtractor(
        mode,
        settings_for(server, tmp_path, **kw),
        judge=judge,
        flagger=flag_record,  # what the pipeline hands in
        sleep=sleeps,
        backoff_base=0.001,
        backoff_max=5,
    )
    return ex, sleeps


def good_output(record: Record) -> dict[str, Any]:
    return {
        "problem": record.problem,
        "status": "完成",
        "status_text": "整改结果:完成",  # half-width colon: aligns normalised onto "整改结果：完成"
        "measures": [m.text for m in record.measures],
        "deadline": None,
    }


@pytest.fixture
def n000(processed: Callable[[str], ProcessedNotice]) -> ProcessedNotice:
    return processed("000")


@pytest.fixture
def rec(n000: ProcessedNotice) -> Record:
    return n000.result.records[REC].model_copy(update={"flags": []})


def test_valid_output(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    with FakeOpenAIServer([completion(good_output(rec))]) as server:
        ex, sleeps = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    text = n000.notice.text
    assert record.extractor == "llm" and record.errors == [] and record.unaligned == []
    assert record.problem == "交警支队个别民辅警履职能力有待增强"
    assert record.problem_span.slice(text) == record.problem
    assert record.status_text == "整改结果：完成"
    assert record.status_span is not None and record.status_span.slice(text) == "整改结果：完成"
    assert [m.text for m in record.measures] == [m.text for m in rec.measures]
    assert [m.span for m in record.measures] == [m.span for m in rec.measures]
    assert all(m.span.slice(text) == m.text for m in record.measures)
    assert (ex.usage.calls, ex.usage.input_tokens, ex.usage.output_tokens) == (1, 120, 30)
    assert sleeps == []
    (request,) = server.requests
    assert request["model"] == "stub-model"
    assert request["response_format"]["type"] == "json_schema"
    assert request["response_format"]["json_schema"]["name"] == "ExtractedRecord"
    assert "记录原文：\n3.交警支队个别民辅警履职能力有待增强。\n整改结果：完成。" in user_text(request)
    assert "上级标题：集中整改期内已完成的整改事项 > 反馈问题：" in user_text(request)
    assert server.headers[0]["Authorization"] == "Bearer test-key"


def test_each_model_value_keeps_how_it_was_aligned(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    output = good_output(rec)
    output["measures"] = [rec.measures[0].text, rec.measures[1].text[:-1].replace("，", ",") + "了"]
    with FakeOpenAIServer([completion(output)]) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.problem_alignment == Alignment(status=AlignmentStatus.EXACT, score=1.0)
    # half-width colon in the model's words: found once punctuation and width are ignored
    assert record.status_alignment == Alignment(status=AlignmentStatus.NORMALISED, score=1.0)
    first, second = record.measures
    assert first.alignment == Alignment(status=AlignmentStatus.EXACT, score=1.0)
    assert second.alignment is not None and second.alignment.status == AlignmentStatus.FUZZY
    assert 0.9 < second.alignment.score < 1.0
    assert record.deadline is None and record.deadline_alignment is None
    # the rules' own values were read from the notice: they carry no alignment
    assert rec.problem_alignment is None and all(m.alignment is None for m in rec.measures)


def test_invalid_json_then_valid(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    replies = [
        completion("problem：交警支队个别民辅警履职能力有待增强；status：完成"),
        completion(good_output(rec)),
    ]
    with FakeOpenAIServer(replies) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm" and len(record.measures) == 3
    assert ex.usage.reasks == 1 and ex.usage.calls == 2
    second = server.requests[1]["messages"]
    assert [m["role"] for m in second] == ["system", "user", "assistant", "user"]
    assert second[2]["content"] == "problem：交警支队个别民辅警履职能力有待增强；status：完成"
    assert "输出不是有效的 JSON" in second[3]["content"]


def test_schema_violation_then_valid(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    bad = {**good_output(rec), "status": "2018-09-15 完成"}
    with FakeOpenAIServer([completion(bad), completion(good_output(rec))]) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.status.value == "完成" and record.extractor == "llm"
    assert ex.usage.reasks == 1
    feedback = server.requests[1]["messages"][-1]["content"]
    assert "字段 status：Input should be '完成', '阶段性完成', '推进中' or '未说明'" in feedback
    assert '（收到 "2018-09-15 完成"）' in feedback


def test_schema_violation_every_time_falls_back_to_the_rules_record(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    bad = {"problem": "", "status": "done"}
    with FakeOpenAIServer([completion(bad)] * 3) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert len(server.requests) == 3  # the first answer and max_retries=2 re-asks
    assert record.extractor == "rules"
    assert record.model_dump(exclude={"errors"}) == rec.model_dump(exclude={"errors"})
    (message,) = record.errors
    assert message.startswith("大模型抽取失败，已改用规则抽取结果：模型输出3次均未通过校验：字段 problem：")
    assert (ex.usage.fallback_records, ex.usage.reasks, ex.usage.failed_calls) == (1, 2, 1)


def test_value_not_in_the_source_is_dropped_and_counted(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    output = good_output(rec)
    output["measures"] = [*output["measures"], "投入资金500万元购置执法记录仪30台"]
    output["deadline"] = "2023年12月底前"
    with FakeOpenAIServer([completion(output)]) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert [m.text for m in record.measures] == [m.text for m in rec.measures]
    assert record.deadline is None and record.deadline_span is None
    assert record.unaligned == ["措施：投入资金500万元购置执法记录仪30台", "时限：2023年12月底前"]
    assert ex.usage.dropped_values == 2
    assert "2 个值在原文中找不到，已丢弃" in ex.usage.summary(ex.settings)


def test_timeout_then_success(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    slow = completion(good_output(rec))
    slow.delay = 1.0
    with FakeOpenAIServer([slow, completion(good_output(rec))]) as server:
        ex, sleeps = extractor(server, tmp_path, timeout=0.2)
        record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm"
    assert ex.usage.retries == 1 and len(sleeps) == 1
    assert len(server.requests) == 2


def test_429_with_retry_after_then_success(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    replies = [error(429, "Rate limit reached", {"retry-after": "3"}), completion(good_output(rec))]
    with FakeOpenAIServer(replies) as server:
        ex, sleeps = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm"
    assert sleeps == [3.0]  # the server's Retry-After, not our own backoff
    assert ex.usage.retries == 1


def test_5xx_then_success_with_backoff(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    replies = [error(503, "overloaded"), error(502, "bad gateway"), completion(good_output(rec))]
    with FakeOpenAIServer(replies) as server:
        ex, sleeps = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm"
    assert len(sleeps) == 2 and 0.0005 <= sleeps[0] <= 0.001 and 0.001 <= sleeps[1] <= 0.002


def test_endpoint_down_falls_back_without_a_judgement_call(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    with FakeOpenAIServer([error(500, "internal error")] * 5) as server:
        ex, sleeps = extractor(server, tmp_path, judge=True)
        record = ex.process_record(n000.notice, rec)
    assert len(server.requests) == 3 and len(sleeps) == 2
    assert record.extractor == "rules" and record.judgement is None
    (message,) = record.errors
    assert message.startswith("大模型抽取失败，已改用规则抽取结果：调用大模型失败（服务端错误，已重试2次）：")


@pytest.mark.filterwarnings("ignore:This model does not support")
def test_refused_json_schema_falls_back_to_tools_and_is_remembered(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    refused = error(400, "'response_format' of type 'json_schema' is not supported with this model")
    replies = [refused, completion(tool_args=good_output(rec)), completion(tool_args=good_output(rec))]
    other = n000.result.records[0].model_copy(update={"flags": []})
    replies.append(completion(tool_args=good_output(other)))
    with FakeOpenAIServer(replies) as server:
        ex, _ = extractor(server, tmp_path)
        first = ex.extract_record(n000.notice, rec)
        second = ex.extract_record(n000.notice, other)
        assert first.extractor == second.extractor == "llm"
        assert ex.usage.method_fallbacks == 1
        assert "response_format" in server.requests[0]
        assert "tools" in server.requests[1] and "response_format" not in server.requests[1]
        assert server.requests[1]["tool_choice"]["function"]["name"] == "ExtractedRecord"
        assert "tools" in server.requests[2]  # straight to the method that worked
        memo = json.loads((tmp_path / "cache" / "llm" / METHODS_MEMO).read_text(encoding="utf-8"))
        assert memo == {f"{server.url}|stub-model": "function_calling"}
        # a new process reads the memo and does not try json_schema again
        fresh, _ = extractor(server, tmp_path)
        assert fresh.caller.methods() == ["function_calling", "json_mode"]


def test_json_mode_when_schema_and_tools_are_refused(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    replies = [
        error(400, "json_schema not supported"),
        error(400, "tools not supported"),
        completion(good_output(rec)),
    ]
    with FakeOpenAIServer(replies) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert record.extractor == "llm" and ex.usage.method_fallbacks == 2
    third = server.requests[2]
    assert third["response_format"] == {"type": "json_object"}
    assert "JSON Schema" in system_text(third) and '"ExtractedRecord"' in system_text(third)


def test_everything_refused_falls_back(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    with FakeOpenAIServer([error(400, "unsupported")] * 3) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert len(server.requests) == 3
    assert record.extractor == "rules"
    assert record.errors[0].startswith(
        "大模型抽取失败，已改用规则抽取结果：接口不接受任何结构化输出方式（json_schema："
    )


def test_configured_method_is_used_first(n000: ProcessedNotice, rec: Record, tmp_path: Path) -> None:
    with FakeOpenAIServer([completion(tool_args=good_output(rec))]) as server:
        ex, _ = extractor(server, tmp_path, structured_method="function_calling")
        assert ex.extract_record(n000.notice, rec).extractor == "llm"
    assert "tools" in server.requests[0]


# -- judgement -------------------------------------------------------------------------------
def _judge(vague: bool, reason: str, quotes: list[str] | None = None) -> Reply:
    return completion({"vague": vague, "reason": reason, "quotes": quotes or []})


def test_judgement_agreeing_with_the_rules_adds_no_flag(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    with FakeOpenAIServer([_judge(True, "只有追责处理和学习，没有具体对象或结果。")]) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True)
        record = ex.process_record(n000.notice, rec)
    assert record.extractor == "hybrid" and record.flags == []
    assert record.judgement is not None
    assert (record.judgement.vague, record.judgement.rules_vague, record.judgement.agrees_with_rules) == (
        True,
        True,
        True,
    )
    assert record.judgement.prompt == "judge_vague.v1" and record.judgement.model == "stub-model"
    sent = user_text(server.requests[0])
    assert "规则标记：vague_completion（" in sent
    assert "1. 对相关民辅警进行追责处理\n   规则找到的证据：无" in sent
    assert server.requests[0]["response_format"]["json_schema"]["name"] == "VagueJudgement"


def test_a_reason_with_invented_facts_is_replaced_by_the_rules_reason(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    invented = _judge(False, "已追缴资金128万元，并印发《民辅警管理十条》，措施具体。")
    with FakeOpenAIServer([invented]) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True)
        record = ex.process_record(n000.notice, rec)
    reason = record.judgement.reason
    assert "128" not in reason.split("（")[0] and reason.startswith("声称“整改结果：完成”")
    assert "“128”" in reason and "“民辅警管理十条”" in reason and "已改用规则的理由" in reason
    disputed = [f for f in record.flags if f.source == "llm"]
    assert disputed and "已改用规则的理由" in disputed[0].reason


def test_llm_disputing_a_rules_flag_is_shown_not_hidden(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    quote = "制定现场查处酒后驾驶及饮酒醉酒驾驶机动车案件办理规范性文件"
    reply = _judge(False, "制定了酒驾醉驾案件办理规范性文件，属于本单位制定的制度。", [quote])
    with FakeOpenAIServer([reply]) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True)
        record = ex.process_record(n000.notice, rec)
    assert record.judgement is not None and not record.judgement.agrees_with_rules
    (flag,) = record.flags
    assert (flag.code, flag.severity, flag.source) == (FlagCode.LLM_DISAGREES, Severity.LOW, "llm")
    assert flag.reason == (
        "大模型认为措施具体，不同意规则的“空泛”标记：制定了酒驾醉驾案件办理规范性文件，属于本单位制定的制度。"
    )
    assert [s.slice(n000.notice.text) for s in flag.spans] == [quote]
    assert record.judgement.spans == flag.spans


def test_llm_finding_vagueness_the_rules_missed_raises_an_llm_flag(
    n000: ProcessedNotice, tmp_path: Path
) -> None:
    concrete = n000.result.records[0].model_copy(update={"flags": []})  # rules: a named 制度 was 完善了
    reply = _judge(True, "所谓制度只是完善了原有文件，其余是学习和分工，没有可核查的结果。")
    with FakeOpenAIServer([reply]) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True)
        record = ex.process_record(n000.notice, concrete)
    (flag,) = record.flags
    assert (flag.code, flag.severity, flag.source) == (FlagCode.VAGUE_COMPLETION, Severity.HIGH, "llm")
    assert flag.reason.startswith("大模型判断为空泛（规则未标记）：所谓制度只是完善了原有文件")
    assert flag.spans == [m.span for m in concrete.measures]
    assert record.judgement is not None and record.judgement.rules_vague is False


def test_judgement_failure_is_recorded_on_the_record(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    with FakeOpenAIServer([completion({"vague": "也许", "reason": "?"})] * 3) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True)
        record = ex.process_record(n000.notice, rec)
    assert record.judgement is None and record.flags == []
    assert record.errors[0].startswith("大模型空泛判断失败：模型输出3次均未通过校验：字段 vague：")
    assert ex.usage.failed_judgements == 1


def test_hybrid_judges_only_completed_records(n000: ProcessedNotice, tmp_path: Path) -> None:
    completed = [r for r in n000.result.records if r.status.value == "完成"]
    with FakeOpenAIServer(route=lambda body: _judge(False, "测试：措施具体可查。")) as server:
        ex, _ = extractor(server, tmp_path, mode="hybrid", judge=True, concurrency=3)
        records = ex(n000.notice, _outline(n000))
    assert len(server.requests) == len(completed) == 8
    assert [r.record_id for r in records] == [r.record_id for r in n000.result.records]
    assert [r.judgement is not None for r in records] == [r.status.value == "完成" for r in records]
    disputes = [r.record_id for r in records if FlagCode.LLM_DISAGREES in {f.code for f in r.flags}]
    assert disputes == ["(一)-3", "(三)-8"]  # the two the rules flag vague
    dispute = next(f for f in records[2].flags if f.code == FlagCode.LLM_DISAGREES)
    assert (
        dispute.reason
        == "大模型认为措施具体，不同意规则的“空泛”标记：测试：措施具体可查；未引用原文中的具体内容，请特别核对。"
    )


def _outline(p: ProcessedNotice):
    from assistant.outline import parse_outline

    return parse_outline(p.notice.text)


# -- whole notices, batches, the cache -------------------------------------------------------
def section_of(body: dict[str, Any]) -> str:
    return user_text(body).split("记录原文：\n", 1)[1]


def generic_reply(body: dict[str, Any]) -> Reply:
    """A valid answer for any request: the section's own lines as problem and measures."""
    if system_text(body).startswith("你是巡察整改审核员"):
        return _judge(False, "测试：措施具体可查。")
    lines = [line for line in section_of(body).splitlines() if line.strip()]
    return completion({"problem": lines[0], "status": "完成", "measures": lines[1:] or lines})


def test_batch_with_one_notice_failing_completes_the_others(
    notices_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    failing = load_notice(notices_dir / "004_fb4d16d8d0ed6c2d.txt").text

    def route(body: dict[str, Any]) -> Reply:
        if not system_text(body).startswith("你是巡察整改审核员") and section_of(body) in failing:
            return error(500, "upstream model crashed")
        return generic_reply(body)

    with FakeOpenAIServer(route=route) as server:
        ex, _ = extractor(server, tmp_path, judge=True, concurrency=4, max_retries=1)
        monkeypatch.setitem(EXTRACTORS, "llm", ex)
        batch = run_batch(sorted(notices_dir.glob("*.txt")), extractor="llm")
    assert batch.errors == []
    by_name = {p.notice.source_name: p.result for p in batch.processed}
    assert len(by_name) == 5
    bad = by_name["004_fb4d16d8d0ed6c2d.txt"]
    assert bad.records and all(r.extractor == "rules" for r in bad.records)
    assert all(r.errors and "服务端错误，已重试1次" in r.errors[0] for r in bad.records)
    for name, result in by_name.items():
        if name != "004_fb4d16d8d0ed6c2d.txt":
            # the only notes: the fake model's blanket "完成" overruled by a status the notice states
            assert result.records and all(
                r.extractor == "llm" and all(e.startswith("大模型给出的状态") for e in r.errors)
                for r in result.records
            ), name
    kept = [r for r in by_name["000_097681a73ff5d2da.txt"].records if r.errors]
    assert [(r.status.value, r.status_text) for r in kept] == [("阶段性完成", "整改结果：阶段性完成")]
    assert ex.usage.fallback_records == len(bad.records)


def test_rerun_costs_nothing_and_an_interrupted_run_resumes(n000: ProcessedNotice, tmp_path: Path) -> None:
    notice, outline = n000.notice, _outline(n000)
    late = {r.outline_path[-1] for r in n000.result.records[6:]}  # the run "dies" before these

    def interrupted(body: dict[str, Any]) -> Reply:
        if any(title in section_of(body) for title in late):
            return Reply(status=503, body={"error": {"message": "connection lost"}})
        return generic_reply(body)

    with FakeOpenAIServer(route=interrupted) as server:
        ex, _ = extractor(server, tmp_path, max_retries=0, concurrency=3)
        first = ex(notice, outline)
    assert [r.extractor for r in first] == ["llm"] * 6 + ["rules"] * 3
    assert len(server.requests) == 9

    with FakeOpenAIServer(route=generic_reply) as server:
        ex, _ = extractor(server, tmp_path, max_retries=0, concurrency=3)
        second = ex(notice, outline)
    assert len(server.requests) == 3  # only the three that failed
    assert (ex.usage.cache_hits, ex.usage.calls) == (6, 3)
    assert [r.extractor for r in second] == ["llm"] * 9

    with FakeOpenAIServer(route=generic_reply) as server:
        ex, _ = extractor(
            server, tmp_path, max_retries=0, price_input_per_mtok=1.0, price_output_per_mtok=1.0
        )
        third = ex(notice, outline)
    assert server.requests == []
    assert (ex.usage.cache_hits, ex.usage.calls, ex.usage.cost(ex.settings)) == (9, 0, 0.0)
    assert [r.model_dump() for r in third] == [r.model_dump() for r in second]

    # another model (or prompt version) is another cache entry
    with FakeOpenAIServer(route=generic_reply) as server:
        ex, _ = extractor(server, tmp_path, max_retries=0, model="other-model")
        ex(notice, outline)
    assert len(server.requests) == 9
    shutil.rmtree(tmp_path / "cache")


def test_truncated_output_is_not_taken_for_a_whole_record(
    n000: ProcessedNotice, rec: Record, tmp_path: Path
) -> None:
    cut = completion(
        '{"problem": "交警支队个别民辅警履职能力有待增强", "status": "完成", "measures": ["对相关民辅警'
    )
    cut.body["choices"][0]["finish_reason"] = "length"  # type: ignore[index]
    with FakeOpenAIServer([cut, completion(good_output(rec))]) as server:
        ex, _ = extractor(server, tmp_path)
        record = ex.extract_record(n000.notice, rec)
    assert len(record.measures) == 3 and ex.usage.reasks == 1
    assert "输出因长度限制被截断" in server.requests[1]["messages"][-1]["content"]
