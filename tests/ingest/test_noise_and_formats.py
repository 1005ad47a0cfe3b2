"""Noise of real notices (STRUCTURES.md §3) and the same notice in other formats.

A wrapped PDF (paragraphs flowed into a narrow frame, lines breaking inside sentences, labels and
headings) and a web page with mixed footer lines must give the same notice id and records as the .txt.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from assistant.ingest import notice_from_text
from assistant.ingest.normalise import shown_text, to_simplified
from assistant.models import Span
from assistant.pipeline import process_file, process_notice

ROOT = Path(__file__).resolve().parents[2]


def _builder():
    spec = importlib.util.spec_from_file_location("dev_build", ROOT / "evals" / "dev" / "build.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _summary(result) -> list[tuple[str, str, int]]:
    return [(r.problem, r.status.value, len(r.measures)) for r in result.records]


@pytest.mark.parametrize("name", ["d05.txt", "d16.txt", "d18.txt"])
def test_a_wrapped_pdf_is_the_same_notice_as_its_text(tmp_path: Path, name: str) -> None:
    pytest.importorskip("reportlab")
    source = ROOT / "evals" / "dev" / name
    pdf = tmp_path / (source.stem + ".pdf")
    _builder().build_pdf(source.read_text(encoding="utf-8").splitlines(), pdf)
    from pypdf import PdfReader

    raw = "\n".join(page.extract_text() for page in PdfReader(pdf).pages)  # the text layer as stored
    paragraphs = [line for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    assert sum(1 for line in raw.splitlines() if line.strip()) > len(paragraphs) * 1.5  # it really wraps
    as_text, as_pdf = process_file(source), process_file(pdf)
    assert as_pdf.notice.notice_id == as_text.notice.notice_id
    assert _summary(as_pdf.result) == _summary(as_text.result)


def test_a_web_page_with_mixed_footer_lines_is_the_same_notice(tmp_path: Path, to_html) -> None:
    source = ROOT / "evals" / "dev" / "d16.txt"
    text = source.read_text(encoding="utf-8")
    page = to_html(
        "首页 > 信息公开 > 通知公告\n字号：大 中 小\n" + text + "\n关闭本页 打印本页\n", tmp_path / "p.html"
    )
    as_text, as_html = process_file(source), process_file(page)
    assert as_html.notice.notice_id == as_text.notice.notice_id
    assert _summary(as_html.result) == _summary(as_text.result)


def test_traditional_script_is_read_as_simplified_and_cited_in_the_original() -> None:
    original = (
        "中共某縣檔案館黨組關於巡察整改進展情況的通報\n根據縣委統一部署，縣委巡察組對館黨組開展了巡察。\n"
        "一、整改進展情況\n（一）檔案數位化推進緩慢\n整改情況：完成館藏檔案數位化1200卷。\n"
    )
    notice = notice_from_text(original, "t.txt")
    (record,) = process_notice(notice).records
    assert record.problem == "档案数位化推进缓慢"
    shown = notice.original_span(record.problem_span).slice(notice.original)
    assert shown == "檔案數位化推進緩慢" and to_simplified(shown) == record.problem
    assert record.measures[0].evidence[0].text == "1200卷"
    shown = shown_text(notice.text, notice.original, notice.offsets)  # what the app displays
    assert len(shown) == len(notice.text) and record.problem_span.slice(shown) == "檔案數位化推進緩慢"


def test_pinyin_annotations_are_dropped_and_spans_still_map() -> None:
    notice = notice_from_text("关于巡察整改的通报\n干部担(dān)当作为不够，服务群众绾（wǎn）结不畅。", "p.txt")
    assert "担当作为" in notice.text and "(dān)" not in notice.text
    start = notice.text.index("担当")
    span = notice.original_span(Span(start=start, end=start + 2))
    assert notice.original[span.start : span.end] == "担(dān)当"


def test_info_table_values_newspaper_dates_and_lost_digits() -> None:
    table = notice_from_text(
        "索引号：\n000-2024-01\n成文日期：\n2024-03-18\n某局关于巡察整改情况的通报\n正文。", "a.txt"
    )
    assert table.meta.published.isoformat() == "2024-03-18"
    paper = notice_from_text(
        "某某日报数字报 2025-01-09\n第03版\n某乡党委关于巡察整改情况的通报\n正文内容如下。", "b.txt"
    )
    assert paper.meta.published.isoformat() == "2025-01-09"
    lost = notice_from_text(
        "某局关于巡察整改情况的通报\n2023315日至202356日，县委巡察组对我局开展巡察。", "c.txt"
    )
    assert lost.meta.period_start is None and "无法识别" in (lost.meta.date_note or "")


def test_titles_over_two_lines_and_a_title_label_in_front() -> None:
    two = notice_from_text(
        "中共某县水务局党组\n关于县委巡察整改进展情况的\n通报\n根据县委统一部署开展整改。", "t.txt"
    )
    assert two.meta.title == "中共某县水务局党组关于县委巡察整改进展情况的通报"
    labelled = notice_from_text(
        "- 标 题：某县水务局关于巡察整改情况的通报\n根据县委统一部署开展整改。", "l.txt"
    )
    assert labelled.meta.title == "某县水务局关于巡察整改情况的通报"
    assert labelled.meta.organisation == "某县水务局"
