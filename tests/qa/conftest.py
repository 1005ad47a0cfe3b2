"""A store holding the five sample notices, built once per test session (offline embeddings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pipeline import process_file


@pytest.fixture(scope="session")
def sample_store(tmp_path_factory: pytest.TempPathFactory, notices_dir: Path):
    store_mod = pytest.importorskip("assistant.store")
    if not hasattr(store_mod, "NoticeStore"):
        pytest.skip("assistant.store.NoticeStore not available yet")
    store = store_mod.NoticeStore.open(path=tmp_path_factory.mktemp("qa-store"))
    for path in sorted(notices_dir.glob("*.txt")):
        store.add(process_file(path))
    return store


@pytest.fixture(scope="session")
def notice_text(sample_store):
    """Normalised text of a stored notice by its number prefix ("000" … "004")."""

    def get(prefix: str) -> str:
        (result,) = [r for r in sample_store.results() if r.source_name.startswith(prefix)]
        return sample_store.get_notice(result.notice_id).text

    return get
