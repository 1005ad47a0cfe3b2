"""Shared fixtures: the real sample notices shipped in examples/notices/."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
NOTICES_DIR = REPO_ROOT / "examples" / "notices"


@pytest.fixture(scope="session")
def notices_dir() -> Path:
    return NOTICES_DIR


@pytest.fixture(scope="session")
def sample_path() -> Callable[[str], Path]:
    """Path of a sample notice by its number prefix ("000" … "004")."""

    def find(prefix: str) -> Path:
        (path,) = NOTICES_DIR.glob(f"{prefix}_*.txt")
        return path

    return find


@pytest.fixture(scope="session")
def sample_text(sample_path: Callable[[str], Path]) -> Callable[[str], str]:
    """Raw text of a sample notice (not normalised)."""
    return lambda prefix: sample_path(prefix).read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def from_text():
    """Extract a notice written inline in a test (rules extractor): text → NoticeResult."""
    from assistant.ingest import notice_from_text
    from assistant.pipeline import process_notice

    def run(text: str, name: str = "test.txt"):
        return process_notice(notice_from_text(text, name))

    return run


@pytest.fixture(scope="session")
def processed_samples(notices_dir: Path):
    """The five sample notices through the pipeline (rules), once per session."""
    from assistant.pipeline import process_file

    return [process_file(p) for p in sorted(notices_dir.glob("*.txt"))]


@pytest.fixture(scope="session")
def make_sample_store(processed_samples):
    """The one way tests build a store of the five samples (offline embeddings): at `path`."""
    from assistant.store import NoticeStore

    def build(path: Path) -> NoticeStore:
        store = NoticeStore.open(path=path)
        with store.bulk():
            for processed in processed_samples:
                store.add(processed)
        return store

    return build


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, make_sample_store):
    """The one shared store holding the five samples; tests only read it.
    A test that changes a store takes `store` (tests/store) or builds its own."""
    return make_sample_store(tmp_path_factory.mktemp("sample-store"))


@pytest.fixture(autouse=True, scope="session")
def _own_user_folders(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Tests never read or write the real per-user settings and store (~/.config, ~/.local/share)."""
    import os

    home = tmp_path_factory.mktemp("home")
    os.environ["XDG_CONFIG_HOME"] = str(home / "config")
    os.environ["XDG_DATA_HOME"] = str(home / "data")


@pytest.fixture(scope="session")
def processed(sample_path: Callable[[str], Path]):
    """The rules pipeline's output for a sample notice, computed once per session."""
    from assistant.pipeline import ProcessedNotice, process_file

    cache: dict[str, ProcessedNotice] = {}

    def get(prefix: str) -> ProcessedNotice:
        if prefix not in cache:
            cache[prefix] = process_file(sample_path(prefix))
        return cache[prefix]

    return get
