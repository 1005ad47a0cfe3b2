"""`audit config show` and the LLM extractors from the command line (local OpenAI-compatible server)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAIServer, Reply, completion, system_text, user_text
from typer.testing import CliRunner

from assistant.cli import app
from assistant.extraction.llm import reset_defaults
from assistant.settings import get_settings

runner = CliRunner(env={"COLUMNS": "300"})
LLM_ENV = ("OPENAI_BASE_URL", "OPENAI_API_KEY", "AUDIT_MODEL", "AUDIT_CONFIG")


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    reset_defaults()
    yield
    get_settings.cache_clear()
    reset_defaults()


def answer(body: dict[str, Any]) -> Reply:
    if system_text(body).startswith("你是巡察整改审核员"):
        return completion({"vague": False, "reason": "测试：措施具体可查。", "quotes": []})
    lines = [line for line in user_text(body).split("记录原文：\n", 1)[1].splitlines() if line.strip()]
    return completion({"problem": lines[0], "status": "完成", "measures": lines[1:] or lines})


def test_config_show_offline() -> None:
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert "抽取与问答：离线：规则抽取" in result.output
    assert "AUDIT_LLM_STRUCTURED_METHOD" in result.output


def test_config_show_masks_the_key(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-1234567890")
    monkeypatch.setenv("AUDIT_MODEL", "qwen2.5-7b-instruct")
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    result = runner.invoke(app, ["config", "show"])
    assert result.exit_code == 0, result.output
    assert "sk-secret-1234567890" not in result.output
    assert "sk-…90" in result.output
    assert "大模型：qwen2.5-7b-instruct @ http://127.0.0.1:9/v1（结构化输出方式 auto" in result.output
    data = json.loads(runner.invoke(app, ["config", "show", "--json"]).stdout)
    assert data["mode"] == "llm" and data["settings"]["api_key"] == "sk-…90"
    assert data["config_file"] is None


def _priced_endpoint(monkeypatch: pytest.MonkeyPatch, url: str) -> None:
    """The local server as the endpoint, at $1 / $2 per million tokens in / out."""
    for name, value in {
        "OPENAI_BASE_URL": url,
        "OPENAI_API_KEY": "test-key",
        "AUDIT_MODEL": "stub-model",
        "AUDIT_PRICE_INPUT": "1.0",
        "AUDIT_PRICE_OUTPUT": "2.0",
    }.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()


def test_llm_extractor_without_an_endpoint_stops_with_a_clear_message(
    tmp_path: Path, notices_dir: Path
) -> None:
    out = tmp_path / "r.jsonl"
    result = runner.invoke(
        app, ["extract", str(notices_dir / "000_097681a73ff5d2da.txt"), "-o", str(out), "-e", "llm"]
    )
    assert result.exit_code == 2
    assert "未配置大模型" in result.output and not out.exists()


def test_extract_with_llm_prints_usage_and_reruns_from_cache(
    tmp_path: Path, notices_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = str(notices_dir / "000_097681a73ff5d2da.txt")
    out = tmp_path / "records.jsonl"
    with FakeOpenAIServer(route=answer) as server:
        _priced_endpoint(monkeypatch, server.url)
        result = runner.invoke(app, ["extract", notice, "-o", str(out), "--extractor", "llm"])
        assert result.exit_code == 0, result.output
        records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
        assert len(records) == 9 and {r["extractor"] for r in records} == {"llm"}
        # the fake model calls every record 完成; the one whose notice states 阶段性完成 keeps it, unjudged
        assert sum(r["judgement"] is not None for r in records) == 8
        # 9 extractions + 8 judgements, 120 in / 30 out tokens each, $1 and $2 per million
        assert (
            "大模型请求 17 次，缓存命中 0 次；输入 2,040 tokens，输出 510 tokens，费用约 $0.0031。"
            in result.output
        )
        assert len(server.requests) == 17

        reset_defaults()  # a new run, as in a new process
        again = runner.invoke(app, ["extract", notice, "-o", str(out), "--extractor", "llm"])
        assert again.exit_code == 0, again.output
        assert "大模型请求 0 次，缓存命中 17 次" in again.output
        assert len(server.requests) == 17

        reset_defaults()
        shown = runner.invoke(app, ["config", "show"])
        assert "已知该接口接受 json_schema" in shown.output and "已缓存 17 个回答" in shown.output


def test_index_with_llm_prints_the_cost_line(
    tmp_path: Path, notices_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    notice = str(notices_dir / "000_097681a73ff5d2da.txt")
    with FakeOpenAIServer(route=answer) as server:
        _priced_endpoint(monkeypatch, server.url)
        result = runner.invoke(app, ["index", notice, "--store", str(tmp_path / "store"), "-e", "llm"])
    assert result.exit_code == 0, result.output
    assert (
        "大模型请求 17 次，缓存命中 0 次；输入 2,040 tokens，输出 510 tokens，费用约 $0.0031。"
        in result.output
    )
    assert len(server.requests) == 17


def test_index_with_llm_but_no_endpoint_stops_before_the_run(tmp_path: Path, notices_dir: Path) -> None:
    store = tmp_path / "store"
    result = runner.invoke(app, ["index", str(notices_dir), "--store", str(store), "-e", "llm"])
    assert result.exit_code == 2
    assert "未配置大模型" in result.output and not store.exists()
