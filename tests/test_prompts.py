"""Prompt files: loaded by name, highest version by default, versions listed."""

from __future__ import annotations

from pathlib import Path

import pytest

from assistant.prompts import PromptNotFoundError, fill, load_prompt, prompt_versions


def test_highest_version_by_default(tmp_path: Path) -> None:
    (tmp_path / "demo.v1.md").write_text("第一版\n", encoding="utf-8")
    (tmp_path / "demo.v2.md").write_text("第二版\n", encoding="utf-8")
    (tmp_path / "demo_other.v9.md").write_text("别的\n", encoding="utf-8")
    assert prompt_versions("demo", tmp_path) == [1, 2]
    prompt = load_prompt("demo", prompts_dir=tmp_path)
    assert (prompt.name, prompt.version, prompt.text) == ("demo", 2, "第二版\n")
    assert load_prompt("demo", 1, prompts_dir=tmp_path).text == "第一版\n"


def test_missing_prompt_or_version(tmp_path: Path) -> None:
    (tmp_path / "demo.v1.md").write_text("x", encoding="utf-8")
    with pytest.raises(PromptNotFoundError, match="没有版本 v3"):
        load_prompt("demo", 3, prompts_dir=tmp_path)
    with pytest.raises(PromptNotFoundError, match="找不到提示词"):
        load_prompt("nothing", prompts_dir=tmp_path)


def test_fill_leaves_json_braces_alone() -> None:
    assert fill('{"a": 1} {{ x }} {{y}}', x="甲", y="乙") == '{"a": 1} 甲 乙'


def test_fill_refuses_a_placeholder_without_value() -> None:
    with pytest.raises(KeyError, match="question"):
        fill("问：{{question}} 段落：{{passages}}", passages="[1]")


def test_every_prompt_fills_with_its_own_placeholders() -> None:
    qa = load_prompt("qa_answer")
    assert "{{" not in qa.fill(passages="[1] 甲", question="乙？")
