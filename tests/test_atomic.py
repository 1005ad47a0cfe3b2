"""write_atomic: the one writer every file-saving module uses."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant import atomic
from assistant.atomic import write_atomic


def test_writes_text_as_utf8_and_bytes_as_given(tmp_path: Path):
    target = tmp_path / "sub" / "整改.json"
    assert write_atomic(target, "已完成") == target
    assert target.read_bytes() == "已完成".encode()
    write_atomic(target, b"\x00\x01")
    assert target.read_bytes() == b"\x00\x01"
    assert [p.name for p in target.parent.iterdir()] == ["整改.json"]


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temp(tmp_path: Path, monkeypatch):
    target = tmp_path / "reviews.json"
    target.write_text("旧", encoding="utf-8")

    def broken(src: str, dst: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(atomic.os, "replace", broken)
    with pytest.raises(OSError, match="disk full"):
        write_atomic(target, "新")
    assert target.read_text(encoding="utf-8") == "旧"
    assert [p.name for p in tmp_path.iterdir()] == ["reviews.json"]
