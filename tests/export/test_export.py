"""Exports of the real sample notices: the reviewer's workbook read back cell by cell, the machine
formats and their round trip, streaming one notice at a time, atomic writes."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.export import (
    RECORD_COLUMNS,
    ExportError,
    open_writer,
    read_jsonl_records,
    to_bytes,
    write_results,
)
from assistant.models import NoticeResult
from assistant.pipeline import process_file
from assistant.reviews import Decision, FlagKey, ReviewBook

SHEETS = ["整改记录", "存疑清单", "通报汇总", "技术字段"]
ZJ_000 = "中共邵阳市公安局交通警察支队委员会 · 2025年3月21日"
VAGUE_REASON = (
    "【声称完成但措施空泛】声称“整改结果：完成”，但3项措施没有数量、金额、日期、所立文件或具体人事处理等可核查的内容，"
    "仅见“规范”、“进一步”等一般性表述，需跟进核实。\n【措施均为一般性表述】全部3项措施没有数量、金额、日期、所立文件或"
    "具体人事处理等可核查的内容，仅见“规范”、“进一步”等一般性表述。"
)


@pytest.fixture(scope="module")
def results(notices_dir: Path) -> list[NoticeResult]:
    return [process_file(p).result for p in sorted(notices_dir.glob("00[014]_*.txt"))]


def rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


def test_workbook_sheets_headers_and_a_flagged_record_for_people(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    assert wb.sheetnames == SHEETS
    records = rows(wb["整改记录"])
    assert records[0] == (
        "序号", "通报", "位置", "类别", "上级问题", "问题", "声称状态", "状态原文", "措施数", "整改措施",
        "可核查证据", "有具体证据", "整改期限", "严重程度", "存疑标记", "存疑理由", "审核意见", "审核备注", "文件",
    )  # fmt: skip
    assert len(records) == 1 + 9 + 30 + 8
    third = records[3]
    assert third[:9] == (
        3,
        ZJ_000,
        "二、（一）3.",
        "聚焦贯彻落实党的理论路线方针政策和党中央、省委、市委决策部署情况",
        None,
        "交警支队个别民辅警履职能力有待增强",
        "完成",
        "整改结果：完成",
        3,
    )
    assert third[9].startswith(
        "1. 对相关民辅警进行追责处理\n2. 组织民辅警重新学习《交通警察道路执勤执法工作规范》"
    )
    assert third[10:] == (
        None,
        "否",
        None,
        "高",
        "声称完成但措施空泛、措施均为一般性表述",
        VAGUE_REASON,
        "未审核",
        None,
        "000_097681a73ff5d2da.txt",
    )


def test_evidence_is_written_for_people_and_places_are_numbering_paths(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    row = next(r for r in rows(wb["整改记录"]) if r[5] == "内控机制执行不严")
    assert (row[1], row[2], row[4]) == (
        "望江县公安局交通管理大队 · 日期未注明",
        "二、(二) 10. 22)",
        "执行财务制度不严格",
    )
    assert row[10].startswith(
        "文件制度：《交管大队车辆管理规定》；人事处理：提醒谈话；日期：4月5日；金额：8250元；"
    )
    assert (row[11], row[13], row[16]) == ("是", None, None)  # no flag: no severity and nothing to review


def test_every_sheet_has_a_frozen_header_a_filter_widths_wrap_and_severity_colour(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    expected = {"整改记录": "A1:S48", "存疑清单": "A1:M8", "通报汇总": "A1:T4", "技术字段": "A1:Z48"}
    for name, ref in expected.items():
        ws = wb[name]
        assert (ws.freeze_panes, ws.auto_filter.ref) == ("A2", ref)
        assert ws["A1"].font.b
    ws = wb["整改记录"]
    assert ws.column_dimensions["F"].width == 36 and ws.column_dimensions["J"].width == 60
    assert ws["J4"].alignment.wrap_text and ws.row_dimensions[4].height > 15
    high = ws["N4"]
    assert (high.value, high.fill.fgColor.rgb, high.font.color.rgb) == ("高", "00FFC7CE", "009C0006")
    medium = next(c for c in wb["存疑清单"]["A"] if c.value == "中")
    assert medium.fill.fgColor.rgb == "00FFEB9C"


def test_flags_sheet_has_one_row_per_flagged_record_and_notices_sheet_the_totals(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    flagged = rows(wb["存疑清单"])
    assert [r[0] for r in flagged[1:]] == ["高", "高", "中", "中", "中", "中", "高"]  # in reading order
    assert flagged[1][1:7] == (
        ZJ_000,
        "二、（一）3.",
        "交警支队个别民辅警履职能力有待增强",
        "完成",
        "声称完成但措施空泛、措施均为一般性表述",
        VAGUE_REASON,
    )
    assert flagged[1][11] == 3  # the row number on 整改记录
    notices = rows(wb["通报汇总"])
    assert notices[1] == (
        ZJ_000, "中共邵阳市公安局交通警察支队委员会", None, "2025年3月21日", None, "市委第一巡察组",
        "2024年3月7日至5月31日", "2024年7月9日", "巡察反馈的9个具体问题，整改完成8个，阶段性完成1个",
        9, 9, "相符", 8, 1, 0, 0, 2, None, "规则抽取（离线）", "000_097681a73ff5d2da.txt",
    )  # fmt: skip
    assert notices[3][0] == "中共新野县交通运输局党组 · 2024年6月3日 · 十三届县委第八轮巡察"
    assert notices[3][4] == "十三届县委第八轮巡察"


def test_machine_columns_are_on_their_own_sheet(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    machine = rows(wb["技术字段"])
    assert machine[0] == ("序号", *RECORD_COLUMNS)
    third = dict(zip(machine[0], machine[3], strict=True))
    assert (third["序号"], third["record_id"], third["flags"]) == (
        3,
        "(一)-3",
        "vague_completion,generic_only",
    )
    assert (third["span_start"], third["span_end"], third["notice_id"]) == (
        results[0].records[2].source_span.start,
        results[0].records[2].source_span.end,
        results[0].notice_id,
    )
    people = set(rows(wb["整改记录"])[0])
    assert not people & {"record_id", "span_start", "llm_vague", "notice_id"}


def test_reviewer_marks_are_read_through_the_review_book(results, tmp_path: Path):
    book = ReviewBook.for_store(tmp_path / "store")
    record = results[0].records[2]
    book.mark(
        FlagKey.of(record.notice_id, record.problem, "vague_completion"),
        Decision.CONFIRMED,
        "需调阅台账",
        now=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    )
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx", reviews=book))
    assert rows(wb["整改记录"])[3][16:18] == ("确认存疑", "需调阅台账")
    assert rows(wb["存疑清单"])[1][9:11] == ("确认存疑", "需调阅台账")
    assert rows(wb["存疑清单"])[2][9] == "未审核"


def test_notice_text_is_never_a_formula(from_text, tmp_path: Path):
    result = from_text(
        '中共某县测试局党组关于巡察整改进展情况的通报\n二、整改进展情况\n（一）=HYPERLINK("http://x.example","点此")问题\n'
        "整改情况：进一步加强管理。该问题已整改到位。\n"
    )
    wb = load_workbook(write_results([result], tmp_path / "r.xlsx"))
    cell = wb["整改记录"]["F2"]
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")
    # the machine columns are plain cells, and the same text is still text there
    header = [c.value for c in wb["技术字段"][1]]
    cell = wb["技术字段"].cell(row=2, column=header.index("problem") + 1)
    assert cell.data_type == "s" and cell.value.startswith("=HYPERLINK(")
    assert not wb["技术字段"]["A2"].border.left.style and wb["整改记录"]["A2"].border.left.style == "thin"


def test_writer_takes_one_notice_at_a_time_and_the_file_appears_at_the_end(results, tmp_path: Path):
    for suffix in (".xlsx", ".csv", ".jsonl", ".json"):
        target = tmp_path / f"stream{suffix}"
        with open_writer(target) as writer:
            for result in results:
                writer.add(result)
                assert not target.exists()  # written to a temporary file beside it
        assert (writer.notices, writer.records) == (3, 47)
        if suffix != ".xlsx":  # (a workbook carries its creation time)
            assert target.read_bytes() == to_bytes(results, suffix[1:])  # type: ignore[arg-type]
    assert len(rows(load_workbook(tmp_path / "stream.xlsx")["整改记录"])) == 1 + 47
    with pytest.raises(RuntimeError), open_writer(tmp_path / "broken.xlsx") as writer:
        writer.add(results[0])
        raise RuntimeError("interrupted")
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "stream.csv",
        "stream.json",
        "stream.jsonl",
        "stream.xlsx",
    ]


def test_workbook_is_written_in_openpyxl_write_only_mode(results, tmp_path: Path):
    from assistant.export.workbook import WorkbookWriter

    writer = WorkbookWriter()
    writer.add(results[0])
    assert writer.wb.write_only and writer.records.rows == 9
    assert not writer.records.ws.row_dimensions  # nothing kept per row once it is written
    writer.save(io.BytesIO())


def test_csv_has_bom_and_every_machine_column(results, tmp_path: Path):
    path = write_results(results, tmp_path / "r.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    table = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert list(table[0]) == RECORD_COLUMNS
    assert len(table) == 9 + 30 + 8
    assert table[0]["problem"] == "“第一议题”学习制度未按常态化、制度化要求落实"
    assert table[0]["status"] == "完成"
    assert table[0]["source_name"] == "000_097681a73ff5d2da.txt"
    assert table[2]["flags"] == "vague_completion,generic_only"


def test_jsonl_round_trips_records(results, tmp_path: Path):
    path = write_results(results, tmp_path / "r.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert isinstance(lines[0]["measures"], list) and "text" in lines[0]["measures"][0]
    assert all(isinstance(r["flags"], list) for r in lines)
    assert lines[0]["outline_labels"] == ["二、", "（一）", "1."]
    back = read_jsonl_records(path)
    assert back == [rec for r in results for rec in r.records]


def test_json_holds_whole_results(results):
    payload = json.loads(to_bytes(results, "json"))
    assert [NoticeResult.model_validate(p) for p in payload] == results


def test_unknown_suffix_is_refused_before_writing(results, tmp_path: Path):
    with pytest.raises(ExportError, match=r"\.csv"):
        write_results(results, tmp_path / "r.txt")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "json"])
def test_pieces_made_elsewhere_write_the_same_bytes_as_the_results(notices_dir: Path, fmt):
    """What a pool worker makes of a notice (`export_piece`) is what the writer would have written."""
    from assistant.export.pieces import export_piece
    from assistant.export.writer import ResultWriter

    processed = [process_file(p) for p in sorted(notices_dir.glob("*.txt"))]
    buffer = io.BytesIO()
    writer = ResultWriter(buffer, fmt)
    for one in processed:
        writer.add_piece(export_piece(one, fmt))
    writer.finish()
    assert buffer.getvalue() == to_bytes([p.result for p in processed], fmt)
    assert (writer.notices, writer.records) == (5, 86)


def test_workbook_pieces_give_the_same_cells_numbered_and_marked_where_written(notices_dir: Path, tmp_path):
    """A worker hands back a notice's rows without the run's 序号 and the reviewer's marks; the writer
    numbers them on from the notices before and reads the marks, as `add` does with the models."""
    import pickle

    from assistant.export.pieces import export_piece
    from assistant.export.writer import ResultWriter

    blank = tmp_path / "no_outline.txt"
    blank.write_text("这是一段没有任何编号结构的文字，只说明工作开展的总体情况。" * 10, encoding="utf-8")
    processed = [process_file(p) for p in [*sorted(notices_dir.glob("*.txt")), blank]]
    book = ReviewBook.for_store(tmp_path / "store")
    record = next(r for r in processed[4].result.records if r.flags)
    book.mark(
        FlagKey.of(record.notice_id, record.problem, record.flags[0].code),
        Decision.DISMISSED,
        "已核实台账",
        now=dt.datetime(2025, 1, 2, tzinfo=dt.UTC),
    )
    notice = next(p.result for p in processed if p.result.flags)
    book.mark(FlagKey.of(notice.notice_id, None, notice.flags[0].code), Decision.CONFIRMED, "汇总不符")
    buffer = io.BytesIO()
    writer = ResultWriter(buffer, "xlsx", reviews=book)
    for one in processed:
        writer.add_piece(pickle.loads(pickle.dumps(export_piece(one, "xlsx"))))  # as from a worker
    writer.finish()
    assert (writer.notices, writer.records) == (6, 86)
    pieces = load_workbook(io.BytesIO(buffer.getvalue()))
    whole = load_workbook(io.BytesIO(to_bytes([p.result for p in processed], "xlsx", reviews=book)))
    assert pieces.sheetnames == whole.sheetnames
    for name in whole.sheetnames:
        assert rows(pieces[name]) == rows(whole[name])
    records, flagged = rows(pieces["整改记录"]), rows(pieces["存疑清单"])
    assert [r[0] for r in records[1:]] == list(range(1, 87))  # numbered across notices
    before = sum(len(p.result.records) for p in processed[:4])
    fifth = records[1 + before : 1 + before + len(processed[4].result.records)]
    assert [r[16:18] for r in fifth if r[5] == record.problem] == [("排除（不存疑）", "已核实台账")]
    assert ("确认存疑", "汇总不符") in {r[9:11] for r in flagged if r[3] == "（通报整体）"}
    assert {r[9] for r in flagged[1:]} >= {"未审核"}


def test_a_piece_goes_only_into_an_export_of_its_own_format(results, notices_dir: Path):
    from assistant.export.pieces import export_piece
    from assistant.export.writer import ResultWriter

    piece = export_piece(process_file(next(notices_dir.glob("000_*.txt"))), "csv")
    for fmt in ("jsonl", "json", "xlsx"):
        writer = ResultWriter(io.BytesIO(), fmt)
        with pytest.raises(ValueError, match="csv piece"):
            writer.add_piece(piece)
        writer.abort()


def test_a_piece_names_the_notices_that_gave_nothing(tmp_path: Path):
    from assistant.export.pieces import export_piece

    path = tmp_path / "no_outline.txt"
    path.write_text("这是一段没有任何编号结构的文字，只说明工作开展的总体情况。" * 10, encoding="utf-8")
    piece = export_piece(process_file(path), "jsonl")
    assert piece.records == 0
    assert json.loads(piece.text)["kind"] == "notice"  # a line of its own: never silently absent
    assert piece.warnings == (
        (
            "no_outline.txt",
            "未识别到编号结构（如“一、”“（一）”“1.”），通报正文没有可拆分的条目，未抽取到整改记录。",
        ),
    )
