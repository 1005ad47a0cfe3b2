from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.pipeline import ProcessedNotice, process_file


@pytest.fixture(scope="session")
def processed(sample_path: Callable[[str], Path]) -> Callable[[str], ProcessedNotice]:
    """The rules pipeline's output for a sample notice, computed once per session."""
    cache: dict[str, ProcessedNotice] = {}

    def get(prefix: str) -> ProcessedNotice:
        if prefix not in cache:
            cache[prefix] = process_file(sample_path(prefix))
        return cache[prefix]

    return get
