"""Where the store is found: the same place from any working folder, and always said."""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from assistant.cli import app
from assistant.settings import Settings, get_settings, user_store_dir


@pytest.fixture(autouse=True)
def _fresh_settings():
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_store_is_the_same_from_any_folder_and_commands_say_where_they_looked(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_STORE_DIR", raising=False)
    monkeypatch.delenv("AUDIT_CONFIG", raising=False)
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
        monkeypatch.chdir(tmp_path / folder)
        assert Settings().store_dir == user_store_dir()
        assert Settings().store_source == "每个用户的默认位置"
    result = CliRunner().invoke(app, ["store", "list"])
    assert result.exit_code == 0
    assert f"查找位置{user_store_dir()}（来自每个用户的默认位置）" in "".join(result.output.split())


def test_a_settings_file_places_the_store_beside_itself(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_STORE_DIR", raising=False)
    project = tmp_path / "project"
    (project / "sub").mkdir(parents=True)
    (project / "audit.toml").write_text('store_dir = "库"\n', encoding="utf-8")
    monkeypatch.setenv("AUDIT_CONFIG", str(project / "audit.toml"))
    monkeypatch.chdir(project / "sub")
    settings = Settings()
    assert settings.store_dir == project.resolve() / "库"
    assert settings.store_source == f"设置文件 {project / 'audit.toml'}"
    shown = CliRunner().invoke(app, ["config", "show"])
    assert f"通报库：{project.resolve() / '库'}" in shown.output.replace("\n", "")


def test_a_store_in_the_working_folder_is_still_found(tmp_path, monkeypatch):
    monkeypatch.delenv("AUDIT_STORE_DIR", raising=False)
    monkeypatch.delenv("AUDIT_CONFIG", raising=False)
    (tmp_path / "vectorstore").mkdir()
    monkeypatch.chdir(tmp_path)
    assert Settings().store_dir == (tmp_path / "vectorstore").resolve()
    assert Settings().store_source == "当前目录下已有的 vectorstore/"
    assert os.environ["XDG_DATA_HOME"] not in str(Settings().store_dir)
