from __future__ import annotations

from pathlib import Path

import pytest

from assistant.store import NoticeStore


@pytest.fixture
def store(tmp_path: Path, make_sample_store) -> NoticeStore:
    """A fresh store of the five samples for a test that changes it (the shared one is read-only)."""
    return make_sample_store(tmp_path / "store")


@pytest.fixture
def store_dir_with_samples(store: NoticeStore) -> Path:
    """The folder of a store holding the five samples, its connections closed."""
    store.db.dispose()
    return store.path
