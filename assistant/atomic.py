"""Writing a file so that a crash never leaves half of it: a temp file beside it, then a rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO


def write_atomic(path: str | Path, data: str | bytes) -> Path:
    """Write `data` (text as UTF-8) to `path` through a temp file in the same folder and an
    atomic rename: readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


@contextmanager
def open_atomic(path: str | Path, keep_partial: Path | None = None) -> Iterator[IO[bytes]]:
    """A binary file to write in pieces (a streamed export) that replaces `path` only when the block
    ends without error; on an error `path` is untouched and the temp file is removed, or, with
    `keep_partial`, kept under that name (what a streamed run wrote before it stopped)."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        if keep_partial is not None and Path(tmp).exists() and Path(tmp).stat().st_size:
            os.replace(tmp, keep_partial)
        else:
            Path(tmp).unlink(missing_ok=True)
        raise
