"""The 督办清单 read back with python-docx: what is listed, grouped how, and in which fonts."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import pytest
from docx import Document

from assistant.memo import collect, memo_bytes, write_memo
from assistant.models import NoticeResult
from assistant.pipeline import process_file
from assistant.reviews import Decision, FlagKey, ReviewBook

ZJ = "中共邵阳市公安局交通警察支队委员会"


@pytest.fixture(scope="module")
def results(notices_dir: Path) -> list[NoticeResult]:
    return [process_file(p).result for p in sorted(notices_dir.glob("*.txt"))]


def read(data: bytes):
    return Document(io.BytesIO(data))


def test_memo_groups_flagged_records_by_unit_with_a_cover_table(results):
    doc = read(memo_bytes(results, today=dt.date(2025, 7, 1)))
    texts = [p.text for p in doc.paragraphs]
    assert texts[0] == "巡察整改存疑事项督办清单"
    assert doc.paragraphs[0].style.name == "Title"
    assert texts[1].startswith("本清单列出审阅的 5 份通报中需要督办的存疑记录 7 条，涉及 3 个单位")
    assert texts[1].endswith("生成日期：2025年7月1日。")
    headings = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert headings == [
        "一、存疑记录统计",
        f"二、{ZJ}（2 条）",
        "三、望江县公安局交通管理大队（1 条）",
        "四、中共新野县交通运输局党组（4 条）",
    ]
    cover = doc.tables[0]
    assert [[c.text for c in row.cells] for row in cover.rows] == [
        ["单位", "存疑记录", "声称完成但措施空泛", "措施均为一般性表述"],
        [ZJ, "2", "2", "2"],
        ["望江县公安局交通管理大队", "1", "0", "1"],
        ["中共新野县交通运输局党组", "4", "1", "4"],
        ["合计", "7", "3", "7"],
    ]


def test_each_item_quotes_problem_status_reason_measures_with_place_and_leaves_room_to_reply(results):
    doc = read(memo_bytes(results))
    texts = [p.text for p in doc.paragraphs]
    first = texts.index("（一）交警支队个别民辅警履职能力有待增强")
    assert doc.paragraphs[first].style.name == "Heading 2"
    assert texts[first + 1 : first + 6] == [
        f"来源：{ZJ} · 2025年3月21日，二、（一）3.（文件：000_097681a73ff5d2da.txt）",
        "声称状态：完成（原文：“整改结果：完成”）",
        "存疑原因：声称完成但措施空泛（高）。声称“整改结果：完成”，但3项措施没有数量、金额、日期、所立文件或具体人事处理等"
        "可核查的内容，仅见“规范”、“进一步”等一般性表述，需跟进核实。",
        "存疑原因：措施均为一般性表述（中）。全部3项措施没有数量、金额、日期、所立文件或具体人事处理等可核查的内容，"
        "仅见“规范”、“进一步”等一般性表述。",
        "整改措施原文：（见通报 二、（一）3.）",
    ]
    assert texts[first + 6] == "1. “对相关民辅警进行追责处理”"
    assert texts[first + 9] == "审核意见：未审核"
    reply = doc.tables[1]
    assert reply.rows[0].cells[0].paragraphs[0].text == "整改单位回复（核实情况、佐证材料及完成时间）："
    assert len(reply.rows[0].cells[0].paragraphs) == 5  # the label and four blank lines to write in


def test_by_default_dismissed_records_are_left_out(results, tmp_path: Path):
    book = ReviewBook.for_store(tmp_path / "store")
    record = next(r for r in results[0].records if r.problem == "交警支队个别民辅警履职能力有待增强")
    for code in record.flag_codes:
        book.mark(FlagKey.of(record.notice_id, record.problem, code), Decision.DISMISSED, "已核实有台账")
    other = next(r for r in results[0].records if r.problem == "职级晋升任免权限不合规")
    book.mark(
        FlagKey.of(other.notice_id, other.problem, "vague_completion"), Decision.CONFIRMED, "需调阅档案"
    )
    memo = collect(results, book)
    assert len(memo.items) == 6 and [i.record.problem for i in memo.units[ZJ]] == ["职级晋升任免权限不合规"]
    assert len(collect(results, book, include_dismissed=True).items) == 7
    doc = read(memo_bytes(results, book))
    assert "审核意见：确认存疑；备注：需调阅档案" in [p.text for p in doc.paragraphs]


def test_official_document_typography_and_page_numbers(results, tmp_path: Path):
    path = tmp_path / "督办清单.docx"
    write_memo(results, path)
    doc = Document(str(path))

    def east_asia(style: str) -> str:
        fonts = doc.styles[style].element.rPr.rFonts
        return fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")

    assert [east_asia(s) for s in ("Title", "Heading 1", "Heading 2", "Normal")] == [
        "方正小标宋简体",
        "黑体",
        "楷体_GB2312",
        "仿宋_GB2312",
    ]
    assert doc.styles["Title"].font.size.pt == 22 and doc.styles["Normal"].font.size.pt == 16
    section = doc.sections[0]
    assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
    footer = section.footer.paragraphs[0]._p.xml
    assert "PAGE" in footer and "— " in footer
    font_table = next(r.target_part for r in doc.part.rels.values() if r.reltype.endswith("/fontTable")).blob
    assert '<w:font w:name="方正小标宋简体"><w:altName w:val="宋体"/>' in font_table.decode()
