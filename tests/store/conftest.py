from __future__ import annotations

from pathlib import Path

import pytest

from assistant.pipeline import ProcessedNotice, process_file
from assistant.store import NoticeStore


@pytest.fixture(scope="session")
def processed_samples(notices_dir: Path) -> list[ProcessedNotice]:
    return [process_file(p) for p in sorted(notices_dir.glob("*.txt"))]


@pytest.fixture
def store(tmp_path: Path, processed_samples) -> NoticeStore:
    s = NoticeStore.open(path=tmp_path / "store")
    for p in processed_samples:
        s.add(p)
    return s


@pytest.fixture
def store_dir_with_samples(store: NoticeStore) -> Path:
    """The folder of a store holding the five samples, its connections closed."""
    store.db.dispose()
    return store.path
