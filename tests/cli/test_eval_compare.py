"""`audit eval -e rules -e hybrid`: extractors scored side by side (LLM through the local test server)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fake_openai import FakeOpenAIServer, Reply, completion
from typer.testing import CliRunner

from assistant.cli import app
from assistant.extraction.llm import reset_defaults
from assistant.paths import gold_dir
from assistant.settings import get_settings

runner = CliRunner(env={"COLUMNS": "300"})


@pytest.fixture(autouse=True)
def clean_settings(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    for name in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "AUDIT_MODEL"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_CONFIG", str(tmp_path / "absent.toml"))
    monkeypatch.setenv("AUDIT_CACHE_DIR", str(tmp_path / "cache"))
    get_settings.cache_clear()
    reset_defaults()
    yield
    get_settings.cache_clear()
    reset_defaults()


def judge_everything_concrete(body: dict[str, Any]) -> Reply:
    return completion({"vague": False, "reason": "测试：措施具体可查。", "quotes": []})


def test_rules_and_hybrid_side_by_side(tmp_path: Path, notices_dir: Path, monkeypatch: pytest.MonkeyPatch):
    gold = tmp_path / "gold"
    gold.mkdir()
    shutil.copy(gold_dir() / "000_097681a73ff5d2da.json", gold)
    with FakeOpenAIServer(route=judge_everything_concrete) as server:
        monkeypatch.setenv("OPENAI_BASE_URL", server.url)
        monkeypatch.setenv("OPENAI_API_KEY", "test-key")
        monkeypatch.setenv("AUDIT_MODEL", "stub-model")
        get_settings.cache_clear()
        args = ["eval", "--gold", str(gold), "--notices", str(notices_dir), "-e", "rules", "-e", "hybrid"]
        result = runner.invoke(app, args)
        assert result.exit_code == 0, result.output
        assert "抽取方式对比（合计）" in result.output
        assert "抽取评测（hybrid）" in result.output and "大模型请求" in result.output
        reports = json.loads(runner.invoke(app, [*args, "--json"]).stdout)
    assert [r["extractor"] for r in reports] == ["rules", "hybrid"]
    # the judge's disagreement is shown beside the rules flags, never removing them
    assert reports[0]["overall"]["vague_f1"] == reports[1]["overall"]["vague_f1"] == 1.0
