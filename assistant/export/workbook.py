"""The reviewer's workbook, streamed: sheets 整改记录 / 存疑清单 / 通报汇总 in Chinese, the machine
columns on 技术字段; rows are appended notice by notice in openpyxl's write-only mode, so no
notice is held after it is written (each sheet is spooled to a temporary file by openpyxl).

Every sheet has a frozen, bold header row, column widths, wrapped long text and an autofilter;
严重程度 cells are coloured (高 red, 中 amber, 低 blue) so the worst claims stand out when sorted.
"""

from __future__ import annotations

import math
import unicodedata
from collections import Counter
from typing import IO, NamedTuple

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE, Cell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.styles.cell_style import StyleArray
from openpyxl.utils import get_column_letter
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

from assistant.export.machine import RECORD_COLUMNS, record_row
from assistant.export.marks import MarkLookup, decision_label, latest_mark, notice_keys, record_keys
from assistant.export.notices import claimed_total, totals_check
from assistant.export.people import (
    evidence_text,
    flags_text,
    measures_text,
    place,
    reasons_text,
    severity_text,
    yes_no,
)
from assistant.models import Flag, NoticeResult, Record, Status
from assistant.naming import EXTRACTOR_LABELS, NoticeName, chinese_date, flag_label
from assistant.review_marks import FlagKey

RECORDS_SHEET, FLAGS_SHEET, NOTICES_SHEET, MACHINE_SHEET = "整改记录", "存疑清单", "通报汇总", "技术字段"
NOTICE_LEVEL = "（通报整体）"


class Column(NamedTuple):
    header: str
    width: float
    wrap: bool = False


RECORD_SHEET_COLUMNS = [
    Column("序号", 6),
    Column("通报", 30, True),
    Column("位置", 14, True),
    Column("类别", 22, True),
    Column("上级问题", 18, True),
    Column("问题", 36, True),
    Column("声称状态", 11),
    Column("状态原文", 22, True),
    Column("措施数", 7),
    Column("整改措施", 60, True),
    Column("可核查证据", 36, True),
    Column("有具体证据", 9),
    Column("整改期限", 12, True),
    Column("严重程度", 9),
    Column("存疑标记", 20, True),
    Column("存疑理由", 50, True),
    Column("审核意见", 13),
    Column("审核备注", 24, True),
    Column("文件", 26, True),
]
FLAG_SHEET_COLUMNS = [
    Column("严重程度", 9),
    Column("通报", 30, True),
    Column("位置", 14, True),
    Column("问题", 36, True),
    Column("声称状态", 11),
    Column("存疑标记", 20, True),
    Column("存疑理由", 50, True),
    Column("整改措施", 60, True),
    Column("可核查证据", 36, True),
    Column("审核意见", 13),
    Column("审核备注", 24, True),
    Column("记录序号", 9),
    Column("文件", 26, True),
]
NOTICE_SHEET_COLUMNS = [
    Column("通报", 30, True),
    Column("发布单位", 24, True),
    Column("标题", 36, True),
    Column("发布日期", 14),
    Column("巡察轮次", 16, True),
    Column("巡察组", 14, True),
    Column("巡察时间", 22, True),
    Column("反馈日期", 14),
    Column("通报汇总句", 40, True),
    Column("通报称问题数", 9),
    Column("抽取到的记录", 9),
    Column("汇总核对", 10),
    *(Column(s.value, 9) for s in Status),
    Column("存疑记录", 9),
    Column("通报提示", 40, True),
    Column("抽取方式", 16),
    Column("文件", 26, True),
]
MACHINE_SHEET_COLUMNS = [Column("序号", 6), *(Column(c, 14) for c in RECORD_COLUMNS)]

_THIN = Side(style="thin", color="BFBFBF")
HEADER_FONT = Font(bold=True, color="1F2937")
HEADER_FILL = PatternFill("solid", start_color="DCE6F1")
HEADER_ALIGN = Alignment(wrap_text=True, vertical="center", horizontal="center")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
# Excel's own "bad / neutral / note" colours, which reviewers already read as 高 / 中 / 低
SEVERITY_STYLES: dict[str, tuple[PatternFill, Font]] = {
    "高": (PatternFill("solid", start_color="FFC7CE"), Font(bold=True, color="9C0006")),
    "中": (PatternFill("solid", start_color="FFEB9C"), Font(color="9C5700")),
    "低": (PatternFill("solid", start_color="DDEBF7"), Font(color="1F4E78")),
}


LINE_HEIGHT = 15.0  # points per line of 11 pt text
MAX_HEIGHT = 409.0  # Excel's limit for a row


class _Widths(dict[int, str]):
    """`str.translate` table doubling each wide character, each looked up once: a text's width is
    then one C pass (per-character Python calls took a twentieth of writing a workbook)."""

    def __missing__(self, code: int) -> str:
        ch = chr(code)
        self[code] = width = ch * 2 if unicodedata.east_asian_width(ch) in "WF" else ch
        return width


_WIDTHS = _Widths()


def _units(text: str) -> int:
    """Width in Excel's column units: a Chinese character takes two."""
    return len(text.translate(_WIDTHS))


def _lines(text: str, width: float) -> int:
    per_line = max(1.0, width - 3.0)
    return sum(max(1, math.ceil(_units(part) / per_line)) for part in text.split("\n"))


def _clean(value: object) -> object:
    if isinstance(value, str):
        return ILLEGAL_CHARACTERS_RE.sub("", value)
    return value


class _Sheet:
    """One write-only sheet: header written on creation, rows counted for the autofilter."""

    def __init__(self, wb: Workbook, title: str, columns: list[Column], styled: bool = True) -> None:
        self.ws: WriteOnlyWorksheet = wb.create_sheet(title)
        self.columns = columns
        # body cells bordered and aligned (a styled cell costs openpyxl twice what a plain one does)
        self.styled = styled
        self.rows = 0
        self._styles: dict[tuple[bool, object], StyleArray] = {}
        self.ws.freeze_panes = "A2"  # views, widths and page setup are written before the first row
        self.ws.print_title_rows = "1:1"
        self.ws.page_setup.orientation = "landscape"
        self.ws.page_setup.paperSize = "9"  # A4
        self.ws.page_setup.fitToWidth, self.ws.page_setup.fitToHeight = 1, 0
        self.ws.sheet_properties.pageSetUpPr.fitToPage = True
        for i, col in enumerate(columns, 1):
            self.ws.column_dimensions[get_column_letter(i)].width = col.width
        header = []
        for col in columns:
            cell = WriteOnlyCell(self.ws, value=col.header)
            cell.font, cell.fill, cell.alignment, cell.border = HEADER_FONT, HEADER_FILL, HEADER_ALIGN, BORDER
            header.append(cell)
        self.ws.append(header)

    def _style(self, wrap: bool, severity: object) -> StyleArray:
        """The style of a body cell, set on a template cell once per kind: assigning a font, fill or
        border to every cell made openpyxl hash the style objects each time (two thirds of a
        10,000-notice workbook's writing time)."""
        key = (wrap, severity if severity in SEVERITY_STYLES else None)
        style = self._styles.get(key)
        if style is None:
            template = WriteOnlyCell(self.ws)
            template.alignment = WRAP if wrap else TOP
            template.border = BORDER
            if key[1] is not None:
                template.fill, template.font = SEVERITY_STYLES[key[1]]  # type: ignore[index]
            style = self._styles[key] = template._style
        return style

    def append(self, values: list[object]) -> None:
        """One row, its height fitted to the wrapped text (set just for this row, then forgotten)."""
        if not self.styled:
            self.ws.append([self._plain(value) for value in values])
            self.rows += 1
            return
        cells = []
        lines = 1
        for col, value in zip(self.columns, values, strict=True):
            severity = value if col.header == "严重程度" else None
            cell = Cell(
                self.ws,
                row=1,
                column=1,
                value=_clean(value),
                style_array=self._style(col.wrap, severity),  # Cell copies it
            )
            if isinstance(value, str):
                cell.data_type = "s"  # notice text is never a formula, even when it starts with "="
            if col.wrap and isinstance(value, str) and value:
                lines = max(lines, _lines(value, col.width))
            cells.append(cell)
        self.rows += 1
        row = self.rows + 1
        if lines > 1:
            self.ws.row_dimensions[row].height = min(MAX_HEIGHT, lines * LINE_HEIGHT)
        self.ws.append(cells)
        self.ws.row_dimensions.pop(row, None)  # the row is written; keep nothing per row

    def _plain(self, value: object) -> object:
        """An unstyled cell's value; text that Excel would read as a formula or an error stays text."""
        if not isinstance(value, str):
            return value
        value = _clean(value)
        if value.startswith("=") or value in ERROR_CODES:
            cell = Cell(self.ws, row=1, column=1, value=value)
            cell.data_type = "s"
            return cell
        return value

    def close(self) -> None:
        last = get_column_letter(len(self.columns))
        self.ws.auto_filter.ref = f"A1:{last}{self.rows + 1}"


class RecordRows(NamedTuple):
    """A record's rows on the sheets, the cells that depend on the run (序号, reviewer marks) left empty."""

    record: list[object]
    flag: list[object] | None  # on 存疑清单 only when the record has flags
    machine: list[object]
    keys: list[FlagKey]  # the record's flags, whose reviewer marks fill 审核意见 / 审核备注


class NoticeRows(NamedTuple):
    """A notice's rows on every sheet: made where the notice was processed (a pool worker hands these
    back instead of the models), written in order by `WorkbookWriter.add_rows`."""

    records: list[RecordRows]
    flag: list[object] | None  # the notice's own flags on 存疑清单
    keys: list[FlagKey]
    notice: list[object]


def _at(columns: list[Column], header: str) -> int:
    return next(i for i, col in enumerate(columns) if col.header == header)


# the cells `add_rows` fills: the running record number and the reviewer's decision and note
_R_NUMBER, _R_DECISION, _R_NOTE = (_at(RECORD_SHEET_COLUMNS, h) for h in ("序号", "审核意见", "审核备注"))
_F_NUMBER, _F_DECISION, _F_NOTE = (_at(FLAG_SHEET_COLUMNS, h) for h in ("记录序号", "审核意见", "审核备注"))


def notice_rows(result: NoticeResult) -> NoticeRows:
    """Every row `result` puts on the four sheets, apart from what the writer fills in."""
    name = NoticeName.of_result(result)
    notice_flag = None
    if result.flags:
        notice_flag = [
            severity_text(result.flags),
            name.label,
            "全文",
            NOTICE_LEVEL,
            "",
            flags_text(result.flags),
            reasons_text(result.flags),
            "",
            "",
            None,
            None,
            None,
            name.file,
        ]
    return NoticeRows(
        records=[_record_rows(result, name, record) for record in result.records],
        flag=notice_flag,
        keys=notice_keys(result),
        notice=_notice_row(result, name),
    )


def _record_rows(result: NoticeResult, name: NoticeName, record: Record) -> RecordRows:
    flags: list[Flag] = record.flags
    where, measures, evidence = place(record), measures_text(record), evidence_text(record)
    row: list[object] = [
        None,
        name.label,
        where,
        record.category or "",
        record.parent_problem or "",
        record.problem,
        record.status.value,
        record.status_text or "",
        len(record.measures),
        measures,
        evidence,
        yes_no(record.concrete),
        record.deadline or "",
        severity_text(flags),
        flags_text(flags),
        reasons_text(flags),
        "",
        "",
        name.file,
    ]
    flag_row: list[object] | None = None
    if flags:
        flag_row = [
            severity_text(flags),
            name.label,
            where,
            record.problem,
            record.status.value,
            flags_text(flags),
            reasons_text(flags),
            measures,
            evidence,
            None,
            None,
            None,
            name.file,
        ]
    machine = [None, *record_row(result, record).values()]
    return RecordRows(row, flag_row, machine, record_keys(record.notice_id, record))


def _notice_row(result: NoticeResult, name: NoticeName) -> list[object]:
    meta = result.meta
    statuses = Counter(r.status for r in result.records)
    hints = [f for f in result.flags if f.code != "totals_mismatch"]
    return [
        name.label,
        meta.organisation or "未识别",
        meta.title or "",
        chinese_date(meta.published) or meta.published_text or "未注明",
        name.round or "",
        meta.inspection_group or "",
        meta.period_text or "",
        chinese_date(meta.feedback_date) or meta.feedback_text or "",
        meta.totals.text if meta.totals else "",
        claimed_total(result),
        len(result.records),
        totals_check(result),
        *(statuses[s] for s in Status),
        sum(1 for r in result.records if r.flags),
        "\n".join(f"{flag_label(f.code)}：{f.reason}" for f in hints),
        EXTRACTOR_LABELS.get(result.extractor, result.extractor),
        name.file,
    ]


class WorkbookWriter:
    """Appends each notice's rows to the four sheets as it arrives; `save` writes the file."""

    def __init__(self, reviews: MarkLookup | None = None) -> None:
        self.reviews = reviews
        self.wb = Workbook(write_only=True)
        self.records = _Sheet(self.wb, RECORDS_SHEET, RECORD_SHEET_COLUMNS)
        self.flags = _Sheet(self.wb, FLAGS_SHEET, FLAG_SHEET_COLUMNS)
        self.notices = _Sheet(self.wb, NOTICES_SHEET, NOTICE_SHEET_COLUMNS)
        # the machine columns are read by programs and filters, not printed: plain cells
        self.machine = _Sheet(self.wb, MACHINE_SHEET, MACHINE_SHEET_COLUMNS, styled=False)

    def add(self, result: NoticeResult) -> None:
        self.add_rows(notice_rows(result))

    def add_rows(self, rows: NoticeRows) -> None:
        """A notice's rows, numbered on from the last record written and with the reviewer's marks."""
        for one in rows.records:
            n = self.records.rows + 1
            row = list(one.record)
            row[_R_NUMBER] = n
            if one.flag is not None:
                mark = latest_mark(self.reviews, one.keys)
                row[_R_DECISION], row[_R_NOTE] = decision_label(mark), mark.note if mark else ""
            self.records.append(row)
            if one.flag is not None:
                flag = list(one.flag)
                flag[_F_DECISION], flag[_F_NOTE], flag[_F_NUMBER] = row[_R_DECISION], row[_R_NOTE], n
                self.flags.append(flag)
            self.machine.append([n, *one.machine[1:]])
        if rows.flag is not None:
            mark = latest_mark(self.reviews, rows.keys)
            flag = list(rows.flag)
            flag[_F_DECISION], flag[_F_NOTE] = decision_label(mark), mark.note if mark else ""
            self.flags.append(flag)
        self.notices.append(rows.notice)

    def save(self, target: str | IO[bytes]) -> None:
        for sheet in (self.records, self.flags, self.notices, self.machine):
            sheet.close()
        self.wb.save(target)
