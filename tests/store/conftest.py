from __future__ import annotations

from pathlib import Path

import pytest

from assistant.store import NoticeStore


@pytest.fixture
def store(tmp_path: Path, processed_samples) -> NoticeStore:
    """A fresh store of the five samples for a test that changes it (the shared one is read-only)."""
    s = NoticeStore.open(path=tmp_path / "store")
    for p in processed_samples:
        s.add(p)
    return s


@pytest.fixture
def store_dir_with_samples(store: NoticeStore) -> Path:
    """The folder of a store holding the five samples, its connections closed."""
    store.db.dispose()
    return store.path
