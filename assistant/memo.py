"""督办清单: a Word memo of the flagged records to send for follow-up, grouped by issuing unit.

Each item gives the problem, the status the notice claims, why it is flagged, the measures quoted
with their place in the notice, the reviewer's mark, and room for the unit's reply; a cover table
counts the items per unit and flag. By default the memo lists what still needs follow-up: records
a reviewer confirmed, and records not yet reviewed (dismissed ones are left out).

Typography follows common official-document practice (GB/T 9704): title in 方正小标宋简体 二号,
level-1 headings 黑体 三号, level-2 楷体 三号, body 仿宋 三号, page numbers `— n —` in the footer;
each Chinese font names 宋体 as its fallback in the document's font table, for machines without it.
"""

from __future__ import annotations

import datetime as dt
import io
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from docx.text.paragraph import Paragraph
from pydantic import BaseModel, Field

from assistant.atomic import open_atomic
from assistant.export.marks import MarkLookup, decision_label, record_mark, wanted_in_memo
from assistant.export.people import place, top_severity
from assistant.models import SEVERITY_RANK, NoticeResult, Record, Severity
from assistant.naming import SEVERITY_LABELS, NoticeName, chinese_date, flag_label
from assistant.review_marks import ReviewMark

TITLE = "巡察整改存疑事项督办清单"
TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT, FALLBACK_FONT = (
    "方正小标宋简体",
    "黑体",
    "楷体_GB2312",
    "仿宋_GB2312",
    "宋体",
)
SIZE_TITLE, SIZE_HEADING, SIZE_BODY, SIZE_TABLE = Pt(22), Pt(16), Pt(16), Pt(12)  # 二号, 三号, 三号, 小四
CN_NUMERALS = "一二三四五六七八九十"
REPLY_LINES = 4


class MemoItem(BaseModel):
    """One flagged record to follow up, with where it comes from and how it was reviewed."""

    notice: NoticeName
    record: Record
    mark: ReviewMark | None = None

    @property
    def severity(self) -> Severity:
        return top_severity(self.record.flags) or Severity.LOW


class Memo(BaseModel):
    units: dict[str, list[MemoItem]] = Field(default_factory=dict)  # unit → items, in reading order
    notices: int = 0

    @property
    def items(self) -> list[MemoItem]:
        return [i for items in self.units.values() for i in items]


def collect(
    results: Iterable[NoticeResult], reviews: MarkLookup | None = None, include_dismissed: bool = False
) -> Memo:
    """The flagged records to follow up, grouped by issuing unit; within a unit the most severe first."""
    memo = Memo()
    for result in results:
        memo.notices += 1
        name = NoticeName.of_result(result)
        for record in result.records:
            if not record.flags:
                continue
            mark = record_mark(reviews, record)
            if wanted_in_memo(mark, include_dismissed):
                memo.units.setdefault(name.unit, []).append(MemoItem(notice=name, record=record, mark=mark))
    for items in memo.units.values():
        items.sort(key=lambda i: SEVERITY_RANK[i.severity])  # stable: reading order among equals
    return memo


# ---- typography --------------------------------------------------------------------------------


def _set_fonts(run_or_style, east_asia: str, size: Pt | None = None, bold: bool | None = None) -> None:
    """Latin and East Asian fonts both set (Word uses w:eastAsia for Chinese characters)."""
    font = run_or_style.font
    font.name = "Times New Roman"
    if size is not None:
        font.size = size
    if bold is not None:
        font.bold = bold
    element = run_or_style.element
    rpr = element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")


def _add_font_fallbacks(doc: DocxDocument) -> None:
    """Font-table entries naming 宋体 as the alternative of each Chinese font the memo uses.

    python-docx has no font-table API; the part is plain XML in the default template.
    """
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.oxml import parse_xml
    from lxml import etree

    part = next(rel.target_part for rel in doc.part.rels.values() if rel.reltype == RT.FONT_TABLE)
    table = parse_xml(part.blob)
    for name in (TITLE_FONT, HEADING_FONT, SUBHEADING_FONT, BODY_FONT):
        font = OxmlElement("w:font")
        font.set(qn("w:name"), name)
        for tag, value in (("w:altName", FALLBACK_FONT), ("w:charset", "86")):  # 86: GB2312
            child = OxmlElement(tag)
            child.set(qn("w:val"), value)
            font.append(child)
        table.append(font)
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(doc: DocxDocument) -> None:
    normal = doc.styles["Normal"]
    _set_fonts(normal, BODY_FONT, SIZE_BODY)
    normal.paragraph_format.line_spacing = Pt(28)  # fixed 28 pt: 22 lines a page, as the standard lays out
    normal.paragraph_format.space_after = Pt(0)
    for style_name, east_asia, size in (
        ("Title", TITLE_FONT, SIZE_TITLE),
        ("Heading 1", HEADING_FONT, SIZE_HEADING),
        ("Heading 2", SUBHEADING_FONT, SIZE_HEADING),
    ):
        style = doc.styles[style_name]
        _set_fonts(style, east_asia, size, bold=False)
        style.font.color.rgb = None
        fmt = style.paragraph_format
        fmt.space_before, fmt.space_after = Pt(6 if style_name != "Title" else 0), Pt(6)
        fmt.line_spacing = Pt(28 if style_name != "Title" else 36)
        if style_name == "Title":
            fmt.alignment = WD_ALIGN_PARAGRAPH.CENTER
            # the default template draws a rule under the title: official documents have none
            ppr = style.element.get_or_add_pPr()
            for border in ppr.findall(qn("w:pBdr")):
                ppr.remove(border)


def _page_setup(doc: DocxDocument) -> None:
    section = doc.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _page_number(footer)


def _page_number(paragraph: Paragraph) -> None:
    """`— 1 —`: a PAGE field between dashes, 宋体 四号."""

    def run(text: str | None = None):
        r = paragraph.add_run(text or "")
        _set_fonts(r, FALLBACK_FONT, Pt(14))
        return r

    run("— ")
    for kind, text in (
        ("begin", None),
        ("instr", " PAGE "),
        ("separate", None),
        ("text", "1"),
        ("end", None),
    ):
        r = run()
        if kind == "instr":
            instr = OxmlElement("w:instrText")
            instr.set(qn("xml:space"), "preserve")
            instr.text = text
            r._r.append(instr)
        elif kind == "text":
            r.text = text or ""
        else:
            char = OxmlElement("w:fldChar")
            char.set(qn("w:fldCharType"), kind)
            r._r.append(char)
    run(" —")


def _para(
    doc: DocxDocument, text: str = "", *, bold_lead: str | None = None, indent: bool = True
) -> Paragraph:
    p = doc.add_paragraph()
    if indent:
        p.paragraph_format.first_line_indent = Pt(32)  # two characters of 三号
    if bold_lead:
        lead = p.add_run(bold_lead)
        _set_fonts(lead, BODY_FONT, SIZE_BODY, bold=True)
    p.add_run(text)
    return p


def _cell_text(cell, text: str, *, bold: bool = False, align=None) -> None:
    cell.text = ""
    p = cell.paragraphs[0]
    p.paragraph_format.line_spacing = 1.0
    if align is not None:
        p.alignment = align
    r = p.add_run(text)
    _set_fonts(r, HEADING_FONT if bold else BODY_FONT, SIZE_TABLE)


# ---- the document --------------------------------------------------------------------------


def cover_counts(memo: Memo) -> tuple[list[str], list[tuple[str, Counter[str], int]]]:
    """Flag labels in use, and per unit: label counts and the number of records."""
    labels: list[str] = []
    rows = []
    for unit, items in memo.units.items():
        counts: Counter[str] = Counter()
        for item in items:
            for label in dict.fromkeys(flag_label(f.code) for f in item.record.flags):
                counts[label] += 1
                if label not in labels:
                    labels.append(label)
        rows.append((unit, counts, len(items)))
    return labels, rows


def _cover_table(doc: DocxDocument, memo: Memo) -> None:
    labels, rows = cover_counts(memo)
    table = doc.add_table(rows=1, cols=len(labels) + 2)
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, text in zip(table.rows[0].cells, ["单位", "存疑记录", *labels], strict=True):
        _cell_text(cell, text, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    totals: Counter[str] = Counter()
    for unit, counts, n in rows:
        cells = table.add_row().cells
        _cell_text(cells[0], unit)
        _cell_text(cells[1], str(n), align=WD_ALIGN_PARAGRAPH.CENTER)
        for cell, label in zip(cells[2:], labels, strict=True):
            _cell_text(cell, str(counts[label]), align=WD_ALIGN_PARAGRAPH.CENTER)
        totals.update(counts)
    cells = table.add_row().cells
    _cell_text(cells[0], "合计", bold=True)
    _cell_text(cells[1], str(len(memo.items)), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
    for cell, label in zip(cells[2:], labels, strict=True):
        _cell_text(cell, str(totals[label]), bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)


def _item(doc: DocxDocument, n: int, item: MemoItem) -> None:
    record = item.record
    doc.add_heading(f"（{_numeral(n)}）{record.problem}", level=2)
    where = place(record)
    _para(doc, f"{item.notice.label}，{where}（文件：{item.notice.file}）", bold_lead="来源：")
    status = record.status.value + (f"（原文：“{record.status_text}”）" if record.status_text else "")
    _para(doc, status, bold_lead="声称状态：")
    for f in record.flags:
        _para(
            doc,
            f"{flag_label(f.code)}（{SEVERITY_LABELS.get(f.severity, '')}）。{f.reason}",
            bold_lead="存疑原因：",
        )
    if record.measures:
        _para(doc, f"（见通报 {where}）", bold_lead="整改措施原文：")
        for i, m in enumerate(record.measures, 1):
            _para(doc, f"{i}. “{m.text}”")
    else:
        _para(doc, "通报未写明措施。", bold_lead="整改措施原文：")
    review = decision_label(item.mark) + (f"；备注：{item.mark.note}" if item.mark and item.mark.note else "")
    _para(doc, review, bold_lead="审核意见：")
    reply = doc.add_table(rows=1, cols=1)
    reply.style = "Table Grid"
    cell = reply.rows[0].cells[0]
    _cell_text(cell, "整改单位回复（核实情况、佐证材料及完成时间）：")
    for _ in range(REPLY_LINES):
        _cell_text_add(cell)


def _cell_text_add(cell) -> None:
    p = cell.add_paragraph()
    p.paragraph_format.line_spacing = 1.5


def _numeral(n: int) -> str:
    if n <= 10:
        return CN_NUMERALS[n - 1]
    if n < 20:
        return "十" + (CN_NUMERALS[n - 11] if n > 10 else "")
    tens, ones = divmod(n, 10)
    return CN_NUMERALS[tens - 1] + "十" + (CN_NUMERALS[ones - 1] if ones else "")


def build_document(memo: Memo, *, today: dt.date | None = None) -> DocxDocument:
    """The memo: title, a summary line, the cover table, then one level-1 section per unit."""
    doc = Document()
    _styles(doc)
    _page_setup(doc)
    _add_font_fallbacks(doc)
    doc.add_paragraph(TITLE, style="Title")
    date = chinese_date(today or dt.date.today())
    _para(
        doc,
        f"本清单列出审阅的 {memo.notices} 份通报中需要督办的存疑记录 {len(memo.items)} 条，涉及 "
        f"{len(memo.units)} 个单位（已确认存疑和尚未审核的记录；审核排除的不列入）。"
        f"请各单位逐条核实，在“整改单位回复”栏写明核实情况、佐证材料及完成时间。生成日期：{date}。",
    )
    if not memo.items:
        _para(doc, "没有需要督办的存疑记录。")
        return doc
    doc.add_heading("一、存疑记录统计", level=1)
    _cover_table(doc, memo)
    for unit_index, (unit, items) in enumerate(memo.units.items(), 2):
        doc.add_heading(f"{_numeral(unit_index)}、{unit}（{len(items)} 条）", level=1)
        for n, item in enumerate(items, 1):
            _item(doc, n, item)
    return doc


def memo_bytes(
    results: Iterable[NoticeResult],
    reviews: MarkLookup | None = None,
    *,
    include_dismissed: bool = False,
    today: dt.date | None = None,
) -> bytes:
    buffer = io.BytesIO()
    build_document(collect(results, reviews, include_dismissed), today=today).save(buffer)
    return buffer.getvalue()


def write_memo(
    results: Iterable[NoticeResult],
    path: str | Path,
    reviews: MarkLookup | None = None,
    *,
    include_dismissed: bool = False,
) -> Memo:
    """Write the memo to `path` (.docx) atomically; the collected items are returned for the summary."""
    memo = collect(results, reviews, include_dismissed)
    with open_atomic(path) as fh:
        build_document(memo).save(fh)
    return memo
