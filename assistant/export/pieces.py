"""One notice's share of a streamed export, made where the notice was processed.

In a pool, rebuilding every model of a worker's reply and serialising it again took the writing
process as long per notice as a worker took to extract it, so that one process, not the workers,
set the pace of `audit extract`. For the line formats a worker writes the notice's lines itself and
hands over text; the writer only appends it (the same bytes `ResultWriter.add` would write).
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from assistant.export.formats import ExportFormat
from assistant.export.machine import RECORD_COLUMNS, jsonl_lines, record_row
from assistant.models import NoticeResult, ProcessedNotice
from assistant.naming import NoticeName

PIECE_FORMATS: tuple[ExportFormat, ...] = ("jsonl", "csv")
"""Formats whose notices are independent runs of text (the workbook and JSON are written whole)."""

NOTICE_WARNINGS = ("no_records", "truncated", "totals_unreadable")
"""Notice flags said out loud as the notice is written: it gave nothing, was cut off, or its totals are garbled."""


@dataclass(frozen=True)
class ExportPiece:
    fmt: ExportFormat
    text: str
    records: int
    warnings: tuple[tuple[str, str], ...]  # (notice named by unit, date and file; the reason)


def notice_warnings(result: NoticeResult) -> list[tuple[str, str]]:
    """(notice name, reason) of each notice-level warning of `result`."""
    return [
        (NoticeName.of_result(result).with_file, flag.reason)
        for flag in result.flags
        if flag.code.value in NOTICE_WARNINGS
    ]


def export_piece(processed: ProcessedNotice, fmt: ExportFormat) -> ExportPiece:
    """The notice's lines in `fmt` (one of PIECE_FORMATS), as `ResultWriter.add` writes them."""
    result = processed.result
    if fmt == "jsonl":
        text = "".join(line + "\n" for line in jsonl_lines(result))
    elif fmt == "csv":
        buffer = io.StringIO(newline="")
        csv.DictWriter(buffer, fieldnames=RECORD_COLUMNS).writerows(
            record_row(result, r) for r in result.records
        )
        text = buffer.getvalue()
    else:
        raise ValueError(f"{fmt} is written whole, not in pieces")
    return ExportPiece(fmt, text, len(result.records), tuple(notice_warnings(result)))
