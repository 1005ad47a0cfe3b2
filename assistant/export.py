"""Export of extracted records: CSV, Excel (records / flags / notices sheets), JSON Lines, JSON.

Tables are built once as pandas frames so the CLI and the app download the same columns.
JSON Lines keep the record's own field names (DESIGN.md), measures and flags as lists.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import pandas as pd

from assistant.atomic import write_atomic
from assistant.errors import AuditError
from assistant.models import NoticeResult, Record, Status

ExportFormat = Literal["csv", "xlsx", "jsonl", "json"]
SUFFIX_FORMATS: dict[str, ExportFormat] = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".json": "json"}

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


class ExportError(AuditError, ValueError):
    """An output path whose format we cannot write."""


def format_for(path: Path) -> ExportFormat:
    try:
        return SUFFIX_FORMATS[path.suffix.lower()]
    except KeyError:
        raise ExportError(
            f"不支持的输出格式“{path.suffix or '(无扩展名)'}”：请用 .csv、.xlsx、.jsonl 或 .json 结尾的文件名。"
        ) from None


def _published(result: NoticeResult) -> str | None:
    return result.meta.published.isoformat() if result.meta.published else None


def record_row(result: NoticeResult, record: Record) -> dict[str, object]:
    """One flat row per record, for CSV and Excel."""
    return {
        "source_name": result.source_name,
        "organisation": result.meta.organisation,
        "published": _published(result),
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
        "llm_vague": record.judgement.vague if record.judgement else None,
        "llm_reason": record.judgement.reason if record.judgement else None,
        "llm_agrees_with_rules": record.judgement.agrees_with_rules if record.judgement else None,
        "unaligned": "\n".join(record.unaligned),
        "extractor": record.extractor,
        "errors": "\n".join(record.errors),
        "notice_id": result.notice_id,
    }


def records_frame(results: Iterable[NoticeResult]) -> pd.DataFrame:
    rows = [record_row(r, rec) for r in results for rec in r.records]
    return pd.DataFrame(rows, columns=RECORD_COLUMNS)


def flags_frame(results: Iterable[NoticeResult]) -> pd.DataFrame:
    """Every flag, record-level and notice-level, one row each."""
    rows: list[dict[str, object]] = []
    for result in results:
        for flag in result.flags:
            rows.append(
                {
                    "source_name": result.source_name,
                    "organisation": result.meta.organisation,
                    "record_id": None,
                    "problem": None,
                    "status": None,
                    "code": flag.code.value,
                    "severity": flag.severity.value,
                    "reason": flag.reason,
                    "source": flag.source,
                    "notice_id": result.notice_id,
                }
            )
        for record in result.records:
            for flag in record.flags:
                rows.append(
                    {
                        "source_name": result.source_name,
                        "organisation": result.meta.organisation,
                        "record_id": record.record_id,
                        "problem": record.problem,
                        "status": record.status.value,
                        "code": flag.code.value,
                        "severity": flag.severity.value,
                        "reason": flag.reason,
                        "source": flag.source,
                        "notice_id": result.notice_id,
                    }
                )
    columns = ["source_name", "organisation", "record_id", "problem", "status", "code", "severity", "reason"]
    return pd.DataFrame(rows, columns=[*columns, "source", "notice_id"])


def notices_frame(results: Iterable[NoticeResult]) -> pd.DataFrame:
    """Per notice: metadata, the totals it claims and what was actually found."""
    rows: list[dict[str, object]] = []
    for result in results:
        meta = result.meta
        totals = meta.totals
        statuses = Counter(r.status for r in result.records)
        rows.append(
            {
                "source_name": result.source_name,
                "organisation": meta.organisation,
                "title": meta.title,
                "published": _published(result),
                "published_text": meta.published_text,
                "date_note": meta.date_note,
                "inspection_group": meta.inspection_group,
                "inspection_period": meta.period_text,
                "feedback_date": meta.feedback_date.isoformat() if meta.feedback_date else None,
                "totals_text": totals.text if totals else None,
                "claimed_problems": totals.problems if totals else None,
                "claimed_specific_problems": totals.specific_problems if totals else None,
                "claimed_completed": totals.completed if totals else None,
                "claimed_partial": totals.partial if totals else None,
                "records_found": len(result.records),
                "completed": statuses[Status.COMPLETED],
                "partial": statuses[Status.PARTIAL],
                "in_progress": statuses[Status.IN_PROGRESS],
                "unstated": statuses[Status.UNSTATED],
                "flagged_records": sum(1 for r in result.records if r.flags),
                "notice_flags": ",".join(f.code.value for f in result.flags),
                "notice_flag_reasons": "\n".join(f.reason for f in result.flags),
                "extractor": result.extractor,
                "errors": "\n".join(result.errors),
                "notice_id": result.notice_id,
            }
        )
    return pd.DataFrame(rows)


def jsonl_lines(results: Iterable[NoticeResult]) -> list[str]:
    """One JSON object per record: the record's fields plus where it comes from."""
    lines = []
    for result in results:
        if not result.records:
            # a notice that gave nothing is a line of its own, so it is never silently absent
            notice = {
                "kind": "notice",
                "source_name": result.source_name,
                "notice_id": result.notice_id,
                "organisation": result.meta.organisation,
                "published": _published(result),
                "records": 0,
                "flags": [f.model_dump(mode="json") for f in result.flags],
            }
            lines.append(json.dumps(notice, ensure_ascii=False))
        for record in result.records:
            row = {
                "source_name": result.source_name,
                "organisation": result.meta.organisation,
                "published": _published(result),
                **record.model_dump(mode="json"),
            }
            lines.append(json.dumps(row, ensure_ascii=False))
    return lines


def to_bytes(results: list[NoticeResult], fmt: ExportFormat) -> bytes:
    """The export as bytes (for downloads); CSV carries a BOM so Excel opens the Chinese right."""
    if fmt == "csv":
        return records_frame(results).to_csv(index=False).encode("utf-8-sig")
    if fmt == "jsonl":
        return "".join(line + "\n" for line in jsonl_lines(results)).encode("utf-8")
    if fmt == "json":
        payload = [r.model_dump(mode="json") for r in results]
        return json.dumps(payload, ensure_ascii=False, indent=1).encode("utf-8")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        records_frame(results).to_excel(writer, sheet_name="records", index=False)
        flags_frame(results).to_excel(writer, sheet_name="flags", index=False)
        notices_frame(results).to_excel(writer, sheet_name="notices", index=False)
    return buffer.getvalue()


def write_results(results: list[NoticeResult], path: str | Path) -> Path:
    """Write atomically (temp file then rename), so an interrupted run never leaves half a file."""
    return write_atomic(path, to_bytes(results, format_for(path)))


def read_jsonl_records(path: str | Path) -> list[Record]:
    """Records back from a JSON Lines export (the round trip the contract promises)."""
    out = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith('{"kind": "notice"'):
            out.append(Record.model_validate_json(line))
    return out
