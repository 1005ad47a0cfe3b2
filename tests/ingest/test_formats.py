"""Format invariance: the same notice as UTF-8/GBK/BOM text, .docx and .html is the same notice."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from assistant.ingest import LoadedText, load_file, load_notice, normalise, notice_from_text

SAMPLES = ["000", "001", "002", "003", "004"]


def _saved_as(text: str, tmp_path: Path, to_docx, to_html) -> dict[str, Path]:
    paths = {
        "utf-8": tmp_path / "utf8.txt",
        "gbk": tmp_path / "gbk.txt",
        "gb18030": tmp_path / "gb18030.txt",
        "utf-8-bom": tmp_path / "bom.txt",
        "utf-16": tmp_path / "utf16.txt",
        "utf-16-be": tmp_path / "utf16be.txt",
        "crlf": tmp_path / "crlf.txt",
        "md": tmp_path / "notice.md",
    }
    paths["utf-8"].write_bytes(text.encode("utf-8"))
    paths["gbk"].write_bytes(text.replace("\xa0", " ").encode("gbk"))  # GBK has no NBSP
    paths["gb18030"].write_bytes(text.encode("gb18030"))
    paths["utf-8-bom"].write_bytes(text.encode("utf-8-sig"))
    paths["utf-16"].write_bytes(text.encode("utf-16"))  # with BOM, native order
    paths["utf-16-be"].write_bytes(b"\xfe\xff" + text.encode("utf-16-be"))
    paths["crlf"].write_bytes(text.replace("\n", "\r\n").encode("utf-8"))
    paths["md"].write_bytes(text.encode("utf-8"))
    paths["docx"] = to_docx(text, tmp_path / "notice.docx")
    paths["html"] = to_html(text, tmp_path / "notice.html")
    paths["html-gbk"] = to_html(text, tmp_path / "notice_gbk.htm", encoding="gbk")
    return paths


@pytest.mark.parametrize("prefix", SAMPLES)
def test_every_format_and_encoding_gives_the_same_notice(prefix, sample_text, tmp_path, to_docx, to_html):
    text = sample_text(prefix)
    expected = notice_from_text(text, "x.txt")
    paths = _saved_as(text, tmp_path, to_docx, to_html)
    for label, path in paths.items():
        notice = load_notice(path)
        assert notice.text == expected.text, label
        assert notice.notice_id == expected.notice_id, label
        assert notice.meta == expected.meta, label


def test_detected_encoding_and_format_are_reported(sample_text, tmp_path, to_docx, to_html):
    paths = _saved_as(sample_text("000"), tmp_path, to_docx, to_html)
    seen = {label: (load_file(p).format, load_file(p).encoding) for label, p in paths.items()}
    assert seen == {
        "utf-8": ("txt", "utf-8"),
        "gbk": ("txt", "gbk"),
        "gb18030": ("txt", "gbk"),  # this text uses no character outside GBK: the same bytes
        "utf-8-bom": ("txt", "utf-8"),
        "utf-16": ("txt", "utf-16-le"),
        "utf-16-be": ("txt", "utf-16-be"),
        "crlf": ("txt", "utf-8"),
        "md": ("txt", "utf-8"),
        "docx": ("docx", None),
        "html": ("html", "utf-8"),
        "html-gbk": ("html", "gbk"),
    }


def test_gb18030_only_characters_are_decoded(tmp_path):
    # 㐀 (U+3400) and 𠀀 (U+20000) are outside GBK: only GB18030 encodes them
    text = "中共某某县委员会关于巡察整改情况的通报\n根据县委统一部署，县委第一巡察组对㐀𠀀单位进行了巡察。"
    path = tmp_path / "gb18030.txt"
    path.write_bytes(text.encode("gb18030"))
    loaded = load_file(path)
    assert (loaded.encoding, loaded.text) == ("gb18030", text)


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_recognised(encoding, sample_text, tmp_path):
    text = sample_text("002")
    path = tmp_path / "nobom.txt"
    path.write_bytes(text.encode(encoding))
    assert load_file(path) == LoadedText(text, "txt", encoding)


def test_ingesting_twice_changes_nothing(sample_path):
    first, second = load_notice(sample_path("003")), load_notice(sample_path("003"))
    assert first.model_dump() == second.model_dump()
    assert first.notice_id == "25dfa7f1e329ecee"


def test_html_drops_script_style_nav_and_keeps_blocks(tmp_path):
    page = (
        "<html><head><title>不要</title><style>.a{}</style></head><body>"
        "<nav>导航</nav><div>首页&gt; &gt;政府信息公开 &gt;通知公告</div>"
        "<h1>某局党组关于巡察整改进展情况的通报</h1>"
        "<div><p>第一段，\n   源码里的换行   不算换行。</p><p>第二段<br>换行后</p><p></p><p>空段之后</p></div>"
        "<table><tr><td>单元格一</td><td>单元格二</td></tr></table>"
        "<script>alert('不要')</script><!-- 注释不要 --><p>关闭本页 打印本页</p></body></html>"
    )
    path = tmp_path / "page.html"
    path.write_text(page, encoding="utf-8")
    notice = load_notice(path)
    assert notice.text == (
        "某局党组关于巡察整改进展情况的通报\n第一段，源码里的换行不算换行。\n第二段\n换行后\n\n空段之后\n单元格一\n单元格二"
    )


def test_docx_reads_tables_in_document_order(tmp_path):
    import docx

    document = docx.Document()
    document.add_paragraph("某局党组关于巡察整改进展情况的通报")
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "反馈问题"
    table.cell(0, 1).text = "整改情况"
    table.cell(1, 0).text = "学习不深入"
    table.cell(1, 1).text = "已制定《学习制度》。"
    merged = document.add_table(rows=1, cols=2)
    merged.cell(0, 0).merge(merged.cell(0, 1)).text = "合并单元格只读一次"
    document.add_paragraph("特此通报。")
    path = tmp_path / "table.docx"
    document.save(str(path))
    assert load_file(path).text.split("\n") == [
        "某局党组关于巡察整改进展情况的通报",
        "反馈问题",
        "整改情况",
        "学习不深入",
        "已制定《学习制度》。",
        "合并单元格只读一次",
        "特此通报。",
    ]


@pytest.mark.parametrize("prefix", ["000", "004"])
def test_pdf_text_layer_with_cid_font_is_extracted(prefix, sample_text, tmp_path, to_pdf):
    """reportlab's STSong-Light CID font round-trips through pypdf's extraction.

    A PDF has no empty paragraphs, so its text equals the .txt's with blank lines removed.
    """
    text = sample_text(prefix)
    notice = load_notice(to_pdf(text, tmp_path / "notice.pdf"))
    assert notice.format == "pdf"
    expected = re.sub(r"\n+", "\n", normalise(text)[0])
    assert re.sub(r"\n+", "\n", notice.text) == expected
    assert notice.meta.inspection_group == notice_from_text(text, "x.txt").meta.inspection_group


@pytest.mark.parametrize("prefix", ["001", "004"])
def test_every_format_yields_the_same_records(prefix, sample_text, tmp_path, to_docx, to_html):
    from assistant.pipeline import process_file

    text = sample_text(prefix)
    paths = _saved_as(text, tmp_path, to_docx, to_html)
    expected = process_file(paths["utf-8"]).result.records
    assert len(expected) == {"001": 30, "004": 8}[prefix]
    for label in ("gbk", "docx", "html", "html-gbk"):
        assert process_file(paths[label]).result.records == expected, label
