"""The one exception ingest raises, so callers (batch runs, the CLI, the UI) can report a bad file
and carry on with the rest without catching library-specific exception types."""

from __future__ import annotations

from assistant.errors import AuditError


class IngestError(AuditError):
    """A file or text that cannot be read as a notice.

    The message is a Chinese sentence for the person who supplied the file: what is wrong and
    what to do about it, e.g. "文件为空：a.txt。请检查文件是否完整。".
    """

    def __init__(self, message: str, *, source: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.source = source

    def __str__(self) -> str:
        return self.message
