"""`audit ask` end to end: a persisted store of the samples, offline answer and numbered sources."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner(env={"COLUMNS": "300"})


@pytest.fixture(scope="module")
def store_dir(sample_store) -> Path:
    return sample_store.path


def test_ask_help() -> None:
    result = runner.invoke(app, ["ask", "--help"])
    assert result.exit_code == 0
    assert "--offline" in result.output and "--org" in result.output


def test_ask_offline_prints_answer_and_sources(store_dir: Path) -> None:
    result = runner.invoke(
        app, ["ask", "望江交管大队中央隔离护栏赔付款是多少？", "--store", str(store_dir), "--offline"]
    )
    assert result.exit_code == 0, result.output
    assert "未配置语言模型" in result.output
    assert "二是4月5日已将中央隔离护栏赔付款8250元上交国库[1]" in result.output
    assert "来源" in result.output
    assert "[1] 望江县公安局交通管理大队 · 日期未注明" in result.output


def test_ask_declines_what_the_notices_do_not_say(store_dir: Path) -> None:
    result = runner.invoke(
        app, ["ask", "张家界交警支队对无人机执法有什么规定？", "--store", str(store_dir), "--offline"]
    )
    assert result.exit_code == 0, result.output
    assert "通报中没有相关信息" in result.output
    assert "来源" not in result.output


def test_ask_on_an_empty_store_says_what_to_do(tmp_path: Path) -> None:
    if not hasattr(pytest.importorskip("assistant.store"), "NoticeStore"):
        pytest.skip("assistant.store.NoticeStore not available yet")
    result = runner.invoke(app, ["ask", "有哪些问题？", "--store", str(tmp_path / "empty"), "--offline"])
    assert result.exit_code == 2
    assert "audit index" in result.output
