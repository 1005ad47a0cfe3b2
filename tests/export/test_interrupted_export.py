"""A streamed export that stops half way (a full disk) says so and keeps what it wrote."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest

from assistant.export import ExportError, open_writer
from assistant.export.writer import ResultWriter


@pytest.fixture
def results(processed_samples):
    return [p.result for p in processed_samples]


def _disk_fills_after(monkeypatch: pytest.MonkeyPatch, notices: int) -> None:
    real = ResultWriter.add

    def add(self: ResultWriter, result) -> None:
        if self.notices == notices:
            raise OSError(errno.ENOSPC, "No space left on device")
        real(self, result)

    monkeypatch.setattr(ResultWriter, "add", add)


def test_a_full_disk_keeps_the_notices_written_and_says_where(tmp_path: Path, results, monkeypatch):
    _disk_fills_after(monkeypatch, 2)
    out = tmp_path / "records.jsonl"
    with pytest.raises(ExportError) as caught, open_writer(out) as writer:
        for result in results:
            writer.add(result)
    partial = tmp_path / "records.partial.jsonl"
    assert str(caught.value) == (
        f"磁盘空间不足，导出中断：已写出的 2 份通报、{len(results[0].records) + len(results[1].records)} 条记录"
        f"保存在 {partial}（最后一行可能不完整）。释放空间或换一个输出位置后重新运行。"
    )
    assert not out.exists()
    notices = {json.loads(line)["notice_id"] for line in partial.read_text(encoding="utf-8").splitlines()}
    assert notices == {results[0].notice_id, results[1].notice_id}


def test_a_workbook_cut_short_leaves_nothing_half_written(tmp_path: Path, results, monkeypatch):
    _disk_fills_after(monkeypatch, 1)
    out = tmp_path / "records.xlsx"
    with pytest.raises(ExportError, match="没有留下不完整的文件"), open_writer(out) as writer:
        for result in results:
            writer.add(result)
    assert list(tmp_path.iterdir()) == []
