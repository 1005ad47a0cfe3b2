"""QA fixtures over the shared sample store (tests/conftest.py)."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="session")
def notice_text(sample_store):
    """Normalised text of a stored notice by its number prefix ("000" … "004")."""

    def get(prefix: str) -> str:
        (result,) = [r for r in sample_store.results() if r.source_name.startswith(prefix)]
        return sample_store.get_notice(result.notice_id).text

    return get
