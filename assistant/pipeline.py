"""The data flow of DESIGN.md in one place: file → notice → outline → records → flags."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.models import Notice, NoticeResult, Outline


class ProcessedNotice(BaseModel):
    """A loaded notice together with what was extracted from it."""

    notice: Notice
    result: NoticeResult


def process_notice(notice: Notice, extractor: str = "rules") -> NoticeResult:
    """Extract and flag the records of an already loaded notice."""
    from assistant.extract import extract_records
    from assistant.flags import flag_notice, flag_records
    from assistant.outline import OutlineError, parse_outline
    from assistant.outline.roles import describe_absence

    try:
        outline = parse_outline(notice.text)
    except OutlineError:
        outline = None
    # with no outline the rules find nothing, but an LLM extractor may still segment the text
    records = extract_records(notice, outline or Outline(styles=[], nodes=[]), extractor)
    records = flag_records(records, notice.text)
    absence = describe_absence(notice.text, outline) if not records else None
    return NoticeResult(
        notice_id=notice.notice_id,
        source_name=notice.source_name,
        meta=notice.meta,
        records=records,
        flags=flag_notice(notice.meta, records, absence),
        extractor=extractor,
    )


def process_file(path: str | Path, extractor: str = "rules") -> ProcessedNotice:
    from assistant.ingest import load_notice

    notice = load_notice(path)
    return ProcessedNotice(notice=notice, result=process_notice(notice, extractor))
