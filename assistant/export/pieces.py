"""One notice's share of a streamed export, made where the notice was processed.

In a pool, rebuilding every model of a worker's reply and serialising it again took the writing
process as long per notice as a worker took to extract it, so that one process, not the workers,
set the pace of `audit extract`. So a worker makes the notice's share itself: for JSON Lines, CSV
and JSON its text, which the writer only appends (the same bytes `ResultWriter.add` would write);
for the workbook its rows (`NoticeRows`), which the writer numbers, marks and writes to the sheets.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from assistant.export.formats import ExportFormat
from assistant.export.machine import RECORD_COLUMNS, jsonl_lines, record_row
from assistant.export.workbook import NoticeRows, notice_rows
from assistant.models import NoticeResult, ProcessedNotice
from assistant.naming import NoticeName

NOTICE_WARNINGS = ("no_records", "truncated", "totals_unreadable")
"""Notice flags said out loud as the notice is written: it gave nothing, was cut off, or its totals are garbled."""


@dataclass(frozen=True)
class ExportPiece:
    fmt: ExportFormat
    text: str  # the notice's text in a text format ("" for the workbook)
    records: int
    warnings: tuple[tuple[str, str], ...]  # (notice named by unit, date and file; the reason)
    rows: NoticeRows | None = None  # the notice's rows, for the workbook


def notice_warnings(result: NoticeResult) -> list[tuple[str, str]]:
    """(notice name, reason) of each notice-level warning of `result`."""
    return [
        (NoticeName.of_result(result).with_file, flag.reason)
        for flag in result.flags
        if flag.code.value in NOTICE_WARNINGS
    ]


def export_piece(processed: ProcessedNotice, fmt: ExportFormat) -> ExportPiece:
    """The notice's share of an export in `fmt`, as `ResultWriter.add` would make it."""
    result = processed.result
    warnings = tuple(notice_warnings(result))
    if fmt == "xlsx":
        return ExportPiece(fmt, "", len(result.records), warnings, notice_rows(result))
    if fmt == "json":
        text = result.model_dump_json()
    elif fmt == "jsonl":
        text = "".join(line + "\n" for line in jsonl_lines(result))
    elif fmt == "csv":
        buffer = io.StringIO(newline="")
        csv.DictWriter(buffer, fieldnames=RECORD_COLUMNS).writerows(
            record_row(result, r) for r in result.records
        )
        text = buffer.getvalue()
    else:
        raise ValueError(f"no export format {fmt!r}")
    return ExportPiece(fmt, text, len(result.records), warnings)
