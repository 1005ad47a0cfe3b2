"""Pieces of the LLM extractor: its schema, its prompts, long sections cut for the model."""

from __future__ import annotations

import re
from collections.abc import Callable
from itertools import pairwise
from pathlib import Path

from assistant.extraction.llm import section_parts, split_prompt
from assistant.extraction.llm_schema import ExtractedRecord
from assistant.ingest import load_notice
from assistant.models import Span
from assistant.prompts import load_prompt


def test_schema_cleans_blank_values() -> None:
    record = ExtractedRecord.model_validate(
        {
            "problem": " 车辆管理混乱 ",
            "status": "完成",
            "status_text": " ",
            "measures": ["一", " ", ""],
            "deadline": "",
        }
    )
    assert (record.problem, record.status_text, record.measures, record.deadline) == (
        "车辆管理混乱",
        None,
        ["一"],
        None,
    )


def test_prompts_have_system_and_input_parts() -> None:
    for name, fields in (
        ("extract_record", {"headings", "part_note", "section"}),
        ("judge_vague", {"problem", "status", "status_text", "measures", "rules_flags"}),
    ):
        system, template = split_prompt(load_prompt(name).text)
        assert system.startswith("你是")
        assert {f.strip("{} ") for f in re.findall(r"\{\{\s*\w+\s*\}\}", template)} == fields
    assert "{{error}}" in load_prompt("reask").text
    assert "{{schema}}" in load_prompt("json_output").text


def test_long_sections_are_cut_at_sentence_ends(sample_path: Callable[[str], Path]) -> None:
    text = load_notice(sample_path("003")).text
    whole = Span(start=0, end=len(text))
    parts = section_parts(text, whole, 3000)
    assert parts[:2] == [Span(start=0, end=2935), Span(start=2935, end=5927)]
    assert len(parts) == 4
    assert parts[0].start == 0 and parts[-1].end == len(text)
    assert all(a.end == b.start for a, b in pairwise(parts))
    assert all(len(p) <= 3000 for p in parts)
    assert all(text[p.end - 1] in "。；;！？!?\n" for p in parts[:-1])
    assert section_parts(text, Span(start=10, end=500), 3000) == [Span(start=10, end=500)]
