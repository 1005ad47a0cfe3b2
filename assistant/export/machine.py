"""The machine columns: CSV rows and JSON Lines with the record's own field names (DESIGN.md).

These keep ids, spans and the LLM's fields for scripts and re-import; people read the workbook.
"""

from __future__ import annotations

import json

from assistant.models import NoticeResult, Record

RECORD_COLUMNS = [
    "source_name",
    "organisation",
    "published",
    "record_id",
    "category",
    "parent_problem",
    "problem",
    "status",
    "status_text",
    "measure_count",
    "measures",
    "evidence",
    "concrete",
    "deadline",
    "flags",
    "flag_reasons",
    "span_start",
    "span_end",
    "llm_vague",
    "llm_reason",
    "llm_agrees_with_rules",
    "unaligned",
    "extractor",
    "errors",
    "notice_id",
]


def published(result: NoticeResult) -> str | None:
    return result.meta.published.isoformat() if result.meta.published else None


def record_row(result: NoticeResult, record: Record) -> dict[str, object]:
    """One flat row per record with every machine column, for CSV (and the workbook's 技术字段)."""
    judgement = record.judgement
    return {
        "source_name": result.source_name,
        "organisation": result.meta.organisation,
        "published": published(result),
        "record_id": record.record_id,
        "category": record.category,
        "parent_problem": record.parent_problem,
        "problem": record.problem,
        "status": record.status.value,
        "status_text": record.status_text,
        "measure_count": len(record.measures),
        "measures": "\n".join(f"{i}. {m.text}" for i, m in enumerate(record.measures, 1)),
        "evidence": "；".join(f"{e.type.value}:{e.text}" for e in record.evidence),
        "concrete": record.concrete,
        "deadline": record.deadline,
        "flags": ",".join(record.flag_codes),
        "flag_reasons": "\n".join(f.reason for f in record.flags),
        "span_start": record.source_span.start,
        "span_end": record.source_span.end,
        "llm_vague": judgement.vague if judgement else None,
        "llm_reason": judgement.reason if judgement else None,
        "llm_agrees_with_rules": judgement.agrees_with_rules if judgement else None,
        "unaligned": "\n".join(record.unaligned),
        "extractor": record.extractor,
        "errors": "\n".join(record.errors),
        "notice_id": result.notice_id,
    }


NOTICE_LINE_KIND = "notice"


def jsonl_lines(result: NoticeResult) -> list[str]:
    """One JSON object per record: the record's fields plus where it comes from.

    A notice that gave nothing is a line of its own (`"kind": "notice"`), so it is never silently absent.
    """
    where = {
        "source_name": result.source_name,
        "organisation": result.meta.organisation,
        "published": published(result),
    }
    if not result.records:
        notice = {
            "kind": NOTICE_LINE_KIND,
            "source_name": result.source_name,
            "notice_id": result.notice_id,
            "organisation": result.meta.organisation,
            "published": published(result),
            "records": 0,
            "flags": [f.model_dump(mode="json") for f in result.flags],
        }
        return [json.dumps(notice, ensure_ascii=False)]
    return [json.dumps({**where, **r.model_dump(mode="json")}, ensure_ascii=False) for r in result.records]
