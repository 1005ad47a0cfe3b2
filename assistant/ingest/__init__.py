"""Ingest: a notice file (.txt .docx .pdf .html, UTF-8/GBK/GB18030) → a normalised `Notice`.

The notice id is a hash of the normalised text, so the same notice ingested twice, or saved
in another format or encoding, gets the same id and the same spans.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from assistant.ingest.errors import IngestError
from assistant.ingest.loaders import MAX_BYTES, LoadedText, load_file
from assistant.ingest.metadata import parse_meta
from assistant.ingest.normalise import normalise
from assistant.models import Notice

__all__ = [
    "MAX_BYTES",
    "IngestError",
    "LoadedText",
    "load_file",
    "load_notice",
    "normalise",
    "notice_from_text",
    "notice_id_for",
    "parse_meta",
]

MIN_CHARS = 20
"""A notice shorter than this (after normalisation) cannot hold an inspection and its findings."""

_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")


def notice_id_for(text: str) -> str:
    """Stable id of a notice: the first 16 hex digits of the SHA-256 of its normalised text.

    Blank lines are left out of the hash: paragraph spacing is what formats disagree on (a PDF's
    text layer has none), and it is not what makes two notices the same.
    """
    lines = (line for line in text.split("\n") if line.strip())
    return hashlib.sha256("\n".join(lines).encode("utf-8")).hexdigest()[:16]


def notice_from_text(
    original: str, source_name: str, fmt: str = "txt", encoding: str | None = None
) -> Notice:
    """Normalise already-decoded text and read its metadata; refuse text that is not a notice."""
    text, offsets = normalise(original)
    if not text.strip():
        raise IngestError(f"没有文字内容：{source_name}。请检查文件是否完整。", source=source_name)
    if not _CJK.search(text):
        raise IngestError(
            f"内容不像巡察整改通报：{source_name} 中没有任何汉字。请确认文件内容和编码是否正确。",
            source=source_name,
        )
    if len(text) < MIN_CHARS:
        raise IngestError(
            f"内容不像巡察整改通报：{source_name} 只有 {len(text)} 个字符，过短。请确认文件是否完整。",
            source=source_name,
        )
    return Notice(
        notice_id=notice_id_for(text),
        source_name=source_name,
        format=fmt,
        encoding=encoding,
        original=original,
        text=text,
        offsets=offsets,
        meta=parse_meta(text),
    )


def load_notice(path: str | Path) -> Notice:
    """Read, decode, normalise and describe one notice file; every failure is an `IngestError`."""
    path = Path(path)
    loaded = load_file(path)
    notice = notice_from_text(loaded.text, path.name, loaded.format, loaded.encoding)
    notice.source_path = str(path.resolve())  # one notice, however the path was typed
    return notice
