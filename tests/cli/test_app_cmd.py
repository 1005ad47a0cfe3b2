"""`audit app`: the streamlit command it runs (the server itself is exercised by tests/ui)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.cli.app_cmd import app_script

runner = CliRunner(env={"COLUMNS": "200"})


class FakePopen:
    calls: ClassVar[list[tuple[list[str], dict[str, str]]]] = []

    def __init__(self, cmd: list[str], env: dict[str, str]) -> None:
        FakePopen.calls.append((cmd, env))

    def wait(self) -> int:
        return 0

    def send_signal(self, signum: int) -> None:  # pragma: no cover - only on SIGTERM
        pass


@pytest.fixture
def fake_popen(monkeypatch: pytest.MonkeyPatch) -> type[FakePopen]:
    FakePopen.calls = []
    monkeypatch.setattr("assistant.cli.app_cmd.subprocess.Popen", FakePopen)
    monkeypatch.setattr("assistant.cli.app_cmd.signal.signal", lambda *a: None)
    return FakePopen


def test_app_help() -> None:
    result = runner.invoke(app, ["app", "--help"])
    assert result.exit_code == 0
    assert "--port" in result.output and "--store" in result.output and "--address" in result.output


def test_app_runs_streamlit_headless_on_the_repo_script(fake_popen: type[FakePopen], tmp_path: Path) -> None:
    result = runner.invoke(app, ["app", "--port", "8600", "--store", str(tmp_path / "s")])
    assert result.exit_code == 0, result.output
    ((cmd, env),) = fake_popen.calls
    script = Path(__file__).resolve().parents[2] / "streamlit_app.py"
    assert app_script() == script
    assert cmd[:5] == [sys.executable, "-m", "streamlit", "run", str(script)]
    opts = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert opts["--server.headless"] == "true"
    assert opts["--server.port"] == "8600"
    assert opts["--server.fileWatcherType"] == "none"
    assert opts["--server.address"] == "127.0.0.1"  # only this machine unless --host says otherwise
    assert env["AUDIT_STORE_DIR"] == str((tmp_path / "s").resolve())
    assert "http://localhost:8600" in result.output and "仅本机可访问" in result.output


def test_app_address_option(fake_popen: type[FakePopen]) -> None:
    result = runner.invoke(app, ["app", "--address", "0.0.0.0"])
    assert result.exit_code == 0, result.output
    ((cmd, _),) = fake_popen.calls
    assert cmd[cmd.index("--server.address") + 1] == "0.0.0.0"
    assert cmd[cmd.index("--server.port") + 1] == "8501"
