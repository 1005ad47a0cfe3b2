"""Streamed export: a writer takes one NoticeResult at a time and writes it at once.

JSON Lines, CSV and JSON go straight to a temporary file beside the target; the workbook's rows go
to openpyxl's write-only sheets. Only when the run ends well is the temporary file renamed over
the target, so an interrupted run never leaves half a file and nothing holds every notice.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from assistant.atomic import open_atomic
from assistant.export.formats import ExportError, ExportFormat, format_for
from assistant.export.machine import NOTICE_LINE_KIND, RECORD_COLUMNS, jsonl_lines, record_row
from assistant.export.marks import MarkLookup
from assistant.export.pieces import ExportPiece
from assistant.export.workbook import WorkbookWriter
from assistant.models import NoticeResult, Record


class ResultWriter:
    """Writes results in one format to a binary stream; counts what it wrote."""

    def __init__(self, out: IO[bytes], fmt: ExportFormat, reviews: MarkLookup | None = None) -> None:
        self.out, self.fmt = out, fmt
        self.notices = self.records = 0
        self._text: io.TextIOWrapper | None = None
        self._csv = None
        self._workbook: WorkbookWriter | None = None
        if fmt == "xlsx":
            self._workbook = WorkbookWriter(reviews)
        else:
            # CSV carries a BOM so Excel opens the Chinese right
            encoding = "utf-8-sig" if fmt == "csv" else "utf-8"
            self._text = io.TextIOWrapper(out, encoding=encoding, newline="", write_through=False)
            if fmt == "csv":
                self._csv = csv.DictWriter(self._text, fieldnames=RECORD_COLUMNS)
                self._csv.writeheader()
            elif fmt == "json":
                self._text.write("[")

    def add(self, result: NoticeResult) -> None:
        if self._workbook is not None:
            self._workbook.add(result)
        elif self._csv is not None:
            self._csv.writerows(record_row(result, r) for r in result.records)
        elif self.fmt == "jsonl":
            assert self._text is not None
            self._text.writelines(line + "\n" for line in jsonl_lines(result))
        else:
            assert self._text is not None
            self._text.write(("\n," if self.notices else "\n") + result.model_dump_json())
        self.notices += 1
        self.records += len(result.records)

    def add_piece(self, piece: ExportPiece) -> None:
        """A notice's share made elsewhere (`export_piece`, in a pool worker): its text appended as it
        is, or its rows written to the workbook."""
        if piece.fmt != self.fmt:
            raise ValueError(f"a {piece.fmt} piece cannot go into a {self.fmt} export")
        if self._workbook is not None:
            assert piece.rows is not None
            self._workbook.add_rows(piece.rows)
        else:
            assert self._text is not None
            if self.fmt == "json":
                self._text.write("\n," if self.notices else "\n")
            self._text.write(piece.text)
        self.notices += 1
        self.records += piece.records

    def abort(self) -> None:
        """After a failed run: close the workbook's spooled sheets quietly (that file is discarded), or
        push the lines already written to the partial file that is kept."""
        if self._workbook is not None:
            with open(os.devnull, "wb") as sink, contextlib.suppress(Exception):
                self._workbook.save(sink)
        elif self._text is not None:
            with contextlib.suppress(Exception):
                self._text.flush()
                self._text.detach()

    def finish(self) -> None:
        if self._workbook is not None:
            self._workbook.save(self.out)
            return
        assert self._text is not None
        if self.fmt == "json":
            self._text.write("\n]\n")
        self._text.flush()
        self._text.detach()


@contextmanager
def open_writer(path: str | Path, reviews: MarkLookup | None = None) -> Iterator[ResultWriter]:
    """A writer for `path` (format by extension); the file appears only when the block ends without error."""
    path = Path(path)
    fmt = format_for(path)
    partial = partial_path(path) if fmt in LINE_FORMATS else None
    with open_atomic(path, keep_partial=partial) as fh:
        writer = ResultWriter(fh, fmt, reviews)
        try:
            yield writer
        except OSError as exc:
            writer.abort()
            raise ExportError(_stopped(exc, writer, partial)) from exc
        except BaseException:
            writer.abort()
            raise
        writer.finish()


LINE_FORMATS = ("jsonl", "csv")  # a prefix of these is still readable: an interrupted run keeps it


def partial_path(path: Path) -> Path:
    """Where an interrupted streamed export keeps what it wrote: records.partial.jsonl."""
    return path.with_name(f"{path.stem}.partial{path.suffix}")


def _stopped(exc: OSError, writer: ResultWriter, partial: Path | None) -> str:
    reason = (
        "磁盘空间不足" if exc.errno in (errno.ENOSPC, errno.EDQUOT) else f"写入失败（{exc.strerror or exc}）"
    )
    kept = (
        f"已写出的 {writer.notices} 份通报、{writer.records} 条记录保存在 {partial}（最后一行可能不完整）"
        if partial is not None and writer.notices
        else "没有留下不完整的文件"
    )
    return f"{reason}，导出中断：{kept}。释放空间或换一个输出位置后重新运行。"


def write_results(
    results: Iterable[NoticeResult], path: str | Path, reviews: MarkLookup | None = None
) -> Path:
    """Write results as .csv, .xlsx, .jsonl or .json (by extension), atomically."""
    with open_writer(path, reviews) as writer:
        for result in results:
            writer.add(result)
    return Path(path)


def to_bytes(results: Iterable[NoticeResult], fmt: ExportFormat, reviews: MarkLookup | None = None) -> bytes:
    """The export as bytes (for downloads), written by the same writer as the files."""
    buffer = io.BytesIO()
    writer = ResultWriter(buffer, fmt, reviews)
    for result in results:
        writer.add(result)
    writer.finish()
    return buffer.getvalue()


def read_jsonl_records(path: str | Path) -> list[Record]:
    """Records back from a JSON Lines export (the round trip the contract promises)."""
    out = []
    marker = f'{{"kind": "{NOTICE_LINE_KIND}"'
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith(marker):
            out.append(Record.model_validate_json(line))
    return out
