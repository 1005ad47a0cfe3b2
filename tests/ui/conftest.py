"""App tests: every test gets its own copy of a store of the five sample notices, offline settings,
and empty Streamlit caches (the app caches the store per directory across sessions)."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant.settings import get_settings

REPO_ROOT = Path(__file__).resolve().parents[2]
APP = REPO_ROOT / "streamlit_app.py"
LLM_ENV = (
    "OPENAI_API_KEY",
    "OPENAI_BASE_URL",
    "AUDIT_MODEL",
    "AUDIT_EMBEDDINGS_BASE_URL",
    "AUDIT_EMBEDDINGS_MODEL",
)


@pytest.fixture(scope="session")
def base_store(tmp_path_factory: pytest.TempPathFactory, make_sample_store) -> Path:
    path = tmp_path_factory.mktemp("ui-base") / "store"
    make_sample_store(path).db.dispose()  # copied per test: no connection left open on it
    return path


def _clear_caches() -> None:
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()


@pytest.fixture
def offline_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for name in LLM_ENV:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AUDIT_CONFIG", str(tmp_path / "no-audit.toml"))  # ignore any audit.toml in the cwd
    _clear_caches()
    yield
    _clear_caches()


@pytest.fixture
def store_dir(tmp_path: Path, base_store: Path, monkeypatch: pytest.MonkeyPatch, offline_env: None) -> Path:
    """A fresh copy of the sample store, which the app opens through AUDIT_STORE_DIR."""
    path = tmp_path / "store"
    shutil.copytree(base_store, path)
    monkeypatch.setenv("AUDIT_STORE_DIR", str(path))
    get_settings.cache_clear()
    return path


@pytest.fixture
def make_app() -> Callable[[], AppTest]:
    def make() -> AppTest:
        return AppTest.from_file(str(APP), default_timeout=60)

    return make
