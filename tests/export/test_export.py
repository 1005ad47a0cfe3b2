"""Exports of the real sample notices: every format, the round trip, atomic writes."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from assistant.export import ExportError, read_jsonl_records, to_bytes, write_results
from assistant.models import NoticeResult
from assistant.pipeline import process_file


@pytest.fixture(scope="module")
def results(notices_dir: Path) -> list[NoticeResult]:
    return [process_file(p).result for p in sorted(notices_dir.glob("00[04]_*.txt"))]


def test_csv_has_bom_and_one_row_per_record(results, tmp_path: Path):
    path = write_results(results, tmp_path / "r.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(raw.decode("utf-8-sig").splitlines()))
    assert len(rows) == 9 + 8
    assert rows[0]["problem"] == "“第一议题”学习制度未按常态化、制度化要求落实"
    assert rows[0]["status"] == "完成"
    assert rows[0]["source_name"] == "000_097681a73ff5d2da.txt"


def test_xlsx_has_records_flags_and_notices_sheets(results, tmp_path: Path):
    wb = load_workbook(write_results(results, tmp_path / "r.xlsx"))
    assert wb.sheetnames == ["records", "flags", "notices"]
    assert wb["records"].max_row == 1 + 17
    assert wb["notices"].max_row == 1 + 2
    codes = [row[5] for row in wb["flags"].iter_rows(min_row=2, values_only=True)]
    assert "vague_completion" in codes


def test_jsonl_round_trips_records(results, tmp_path: Path):
    path = write_results(results, tmp_path / "r.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert isinstance(rows[0]["measures"], list) and "text" in rows[0]["measures"][0]
    assert all(isinstance(r["flags"], list) for r in rows)
    back = read_jsonl_records(path)
    assert back == [rec for r in results for rec in r.records]


def test_json_holds_whole_results(results):
    payload = json.loads(to_bytes(results, "json"))
    assert [NoticeResult.model_validate(p) for p in payload] == results


def test_unknown_suffix_is_refused_before_writing(results, tmp_path: Path):
    with pytest.raises(ExportError, match=r"\.csv"):
        write_results(results, tmp_path / "r.txt")
    assert not list(tmp_path.iterdir())
