"""The root of every error the package raises on purpose: catch `AuditError` to catch them all.

Each carries a Chinese message that says what went wrong and what to do next.
"""

from __future__ import annotations

from typing import ClassVar


class AuditError(Exception):
    """An error raised on purpose, with a message meant for the reader."""

    stops_batch: ClassVar[bool] = False  # True when the next file would fail the same way (disk full…)
