"""The core CLI commands end to end on the sample notices (typer's CliRunner, real files)."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

from openpyxl import load_workbook
from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner(env={"COLUMNS": "300"})  # wide enough that table cells do not wrap


def test_every_command_has_help():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "extract", "flags", "eval", "memo"):
        sub = runner.invoke(app, [command, "--help"])
        assert sub.exit_code == 0, command
        assert "Usage" in sub.output


def test_command_list_is_chinese_and_fits_80_columns():
    """Each command's one-line description is whole: no `...` where click would cut a long sentence."""
    for args in ([], ["store"], ["config"]):
        result = CliRunner(env={"COLUMNS": "80"}).invoke(app, [*args, "--help"])
        assert result.exit_code == 0
        commands = result.output.split("Commands:\n", 1)[1].splitlines()
        assert commands, args
        for line in commands:
            description = line.strip().partition(" ")[2]
            assert description.strip() and "..." not in description and "\\[" not in description, line
            width = sum(2 if ord(ch) > 0x2E80 else 1 for ch in line)
            assert width <= 80, line


def test_demo_writes_outputs_and_summary(tmp_path: Path):
    result = runner.invoke(app, ["demo", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "records.xlsx").exists()
    lines = (tmp_path / "records.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(lines) == 9 + 30 + 24 + 15 + 8
    assert "项目建设实施质量把关不严" in result.output
    assert "声称完成但措施空泛" in result.output
    assert "vague_completion" not in result.output and "None" not in result.output
    wb = load_workbook(tmp_path / "records.xlsx")
    assert wb.sheetnames == ["整改记录", "存疑清单", "通报汇总", "技术字段"]


def test_demo_is_readable_at_80_columns(tmp_path: Path):
    from rich.cells import cell_len

    narrow = CliRunner(env={"COLUMNS": "80"})
    result = narrow.invoke(app, ["demo", "--out-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert max(cell_len(line) for line in result.output.splitlines()) <= 80
    assert "2025年3月21日" in result.output and "二、（一）3." in result.output  # names and places, not files
    assert "…" not in result.output  # nothing cut off
    assert "高·声称完成但措施空泛：" in result.output


def test_memo_from_files_writes_the_word_document(tmp_path: Path, notices_dir: Path):
    from docx import Document

    out = tmp_path / "督办清单.docx"
    result = runner.invoke(
        app, ["memo", str(notices_dir), "--out", str(out), "--store", str(tmp_path / "store")]
    )
    assert result.exit_code == 0, result.output
    assert "已写出督办清单：7 条存疑记录，3 个单位" in result.output
    assert Document(str(out)).paragraphs[0].text == "巡察整改存疑事项督办清单"
    refused = runner.invoke(app, ["memo", "--out", str(tmp_path / "x.pdf")])
    assert refused.exit_code == 2 and ".docx" in refused.output
    empty = runner.invoke(app, ["memo", "--out", str(out), "--store", str(tmp_path / "nothing")])
    assert empty.exit_code == 2 and "通报库是空的" in empty.output


def test_extract_skips_a_bad_file_and_says_so(tmp_path: Path, notices_dir: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copy(next(notices_dir.glob("000_*.txt")), folder / "good.txt")
    (folder / "empty.txt").write_bytes(b"")
    out = tmp_path / "records.jsonl"
    result = runner.invoke(app, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 1
    assert "empty.txt" in result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 9
    assert rows[0]["problem"] == "“第一议题”学习制度未按常态化、制度化要求落实"
    assert isinstance(rows[0]["measures"], list)
    assert isinstance(rows[0]["flags"], list)


def test_flags_lists_the_vague_record(notices_dir: Path):
    result = runner.invoke(
        app, ["flags", str(next(notices_dir.glob("004_*.txt"))), "--code", "vague_completion"]
    )
    assert result.exit_code == 0, result.output
    assert "项目建设实施质量把关不严" in result.output
    assert "声称完成但措施空泛" in result.output and "措施均为一般性表述" not in result.output


def test_eval_json_reports_overall_scores():
    result = runner.invoke(app, ["eval", "--json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert [s["name"] for s in report["sets"]] == ["seeds", "dev", "holdout"]
    assert report["overall"]["notices"] == sum(s["overall"]["notices"] for s in report["sets"])


def test_extract_over_bad_inputs_reports_each_and_keeps_the_good(tmp_path: Path, sample_text):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "gbk.txt").write_bytes(sample_text("004").encode("gbk"))
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 64)
    (folder / "no_outline.txt").write_text("这是一段没有任何编号结构的文字。" * 20, encoding="utf-8")
    (folder / "broken.docx").write_bytes(b"PK\x03\x04 not really a docx")
    out = tmp_path / "records.csv"
    result = runner.invoke(app, ["extract", str(folder), "--out", str(out)])
    assert result.exit_code == 1
    for name in ("binary.txt", "no_outline.txt", "broken.docx"):
        assert name in result.output
    assert "gbk.txt" not in result.output.split("个文件处理失败")[1]
    rows = list(csv.DictReader(out.read_bytes().decode("utf-8-sig").splitlines(keepends=True)))
    assert len(rows) == 8
    assert {r["source_name"] for r in rows} == {"gbk.txt"}


def test_extract_refuses_an_unknown_output_format_before_working(tmp_path: Path, notices_dir: Path):
    result = runner.invoke(app, ["extract", str(notices_dir), "--out", str(tmp_path / "r.doc")])
    assert result.exit_code == 2
    assert ".xlsx" in result.output
    assert not list(tmp_path.iterdir())


def test_memo_without_paths_reads_the_store_and_its_marks(tmp_path: Path, notices_dir: Path):
    from docx import Document

    from assistant.reviews import Decision, FlagKey, ReviewBook
    from assistant.store import NoticeStore

    store_dir = tmp_path / "store"
    assert runner.invoke(app, ["index", str(notices_dir), "--store", str(store_dir)]).exit_code == 0
    record = next(
        r for r in NoticeStore.open(path=store_dir).records() if r.problem == "职级晋升任免权限不合规"
    )
    book = ReviewBook.for_store(store_dir)
    for code in record.flag_codes:
        book.mark(FlagKey.of(record.notice_id, record.problem, code), Decision.DISMISSED, "已核实")
    out = tmp_path / "督办清单.docx"
    result = runner.invoke(app, ["memo", "--out", str(out), "--store", str(store_dir)])
    assert result.exit_code == 0, result.output
    assert "已写出督办清单：6 条存疑记录，3 个单位" in result.output
    texts = [p.text for p in Document(str(out)).paragraphs]
    assert "（二）职级晋升任免权限不合规" not in texts and "（一）交警支队个别民辅警履职能力有待增强" in texts
