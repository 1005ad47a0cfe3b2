"""`audit index`, `store stats|list|remove` and `search` on a temporary store."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from assistant.cli import app

runner = CliRunner(env={"COLUMNS": "300"})


def test_index_search_stats_list_remove(tmp_path: Path, notices_dir: Path):
    store = ["--store", str(tmp_path / "s")]
    result = runner.invoke(app, ["index", str(notices_dir), *store])
    assert result.exit_code == 0, result.output
    assert "5 份通报，86 条记录，118 个段落" in result.output
    again = runner.invoke(app, ["index", str(notices_dir), *store])
    assert again.output.count("未变化") == 5

    result = runner.invoke(app, ["search", "公务用车", "-k", "3", *store])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].startswith("1. 中共新野县交通运输局党组 · 2024年6月3日 ")

    result = runner.invoke(app, ["search", "执法", "--org", "张家界", "--status", "阶段性完成", *store])
    lines = [line for line in result.output.splitlines() if line[:2] in {"1.", "2.", "3.", "4."}]
    assert len(lines) == 3 and all(
        "中共张家界市公安局交通警察支队委员会 · 2025年6月12日" in line and "[阶段性完成]" in line
        for line in lines
    )

    stats = json.loads(runner.invoke(app, ["store", "stats", "--json", *store]).output)
    assert (stats["notices"], stats["records"], stats["chunks"], stats["vectors"]) == (5, 86, 118, 118)

    listing = runner.invoke(app, ["store", "list", *store]).output
    assert "中共新野县交通运输局党组" in listing

    removed = runner.invoke(app, ["store", "remove", "004", *store])
    assert removed.exit_code == 0 and "已删除 004_fb4d16d8d0ed6c2d.txt" in removed.output
    stats = json.loads(runner.invoke(app, ["store", "stats", "--json", *store]).output)
    assert (stats["notices"], stats["records"]) == (4, 78)
    assert runner.invoke(app, ["store", "remove", "zzz", *store]).exit_code == 2


def test_index_reports_a_bad_file(tmp_path: Path):
    (tmp_path / "empty.txt").write_bytes(b"")
    result = runner.invoke(app, ["index", str(tmp_path / "empty.txt"), "--store", str(tmp_path / "s")])
    assert result.exit_code == 1
    assert "empty.txt" in result.output


def test_search_on_an_empty_store_says_what_to_do(tmp_path: Path):
    result = runner.invoke(app, ["search", "公务用车", "--store", str(tmp_path / "s")])
    assert result.exit_code == 2
    assert "audit index" in result.output
