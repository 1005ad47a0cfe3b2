"""The data flow of DESIGN.md in one place: file → notice → outline → records → flags."""

from __future__ import annotations

from pathlib import Path

from assistant.models import Extractor, Notice, NoticeResult, Outline, ProcessedNotice

__all__ = ["ProcessedNotice", "extract", "process", "process_file", "process_notice"]


def process(notice: Notice, extractor: Extractor = Extractor.RULES) -> ProcessedNotice:
    """Outline, records and flags of an already loaded notice, the outline kept for chunking."""
    from assistant.extraction import extract_records
    from assistant.flags import flag_notice, flag_record, flag_records
    from assistant.outline import OutlineError, parse_outline
    from assistant.outline.roles import describe_absence

    try:
        outline = parse_outline(notice.text)
    except OutlineError:
        outline = None
    # with no outline the rules find nothing, but an LLM extractor may still segment the text
    records = extract_records(notice, outline or Outline(styles=[], nodes=[]), extractor, flag_record)
    records = flag_records(records, notice.text)
    absence = describe_absence(notice.text, outline) if not records else None
    result = NoticeResult(
        notice_id=notice.notice_id,
        source_name=notice.source_name,
        meta=notice.meta,
        records=records,
        flags=flag_notice(notice.meta, records, absence),
        extractor=extractor,
    )
    return ProcessedNotice(notice=notice, result=result, outline=outline)


def process_notice(notice: Notice, extractor: Extractor = Extractor.RULES) -> NoticeResult:
    """Extract and flag the records of an already loaded notice."""
    return process(notice, extractor).result


def process_file(path: str | Path, extractor: Extractor = Extractor.RULES) -> ProcessedNotice:
    from assistant.ingest import load_notice

    return process(load_notice(path), extractor)


def extract(
    source: str | Path, extractor: Extractor = Extractor.RULES, name: str = "notice.txt"
) -> NoticeResult:
    """Records and flags of one notice: a file path, or the notice's text itself."""
    from assistant.ingest import notice_from_text

    if isinstance(source, Path) or (len(source) < 4096 and "\n" not in source and Path(source).is_file()):
        return process_file(source, extractor).result
    return process_notice(notice_from_text(source, name), extractor)
