"""Bad input gives an IngestError with a Chinese message saying what to do — never a crash."""

from __future__ import annotations

import io
import random
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from assistant.ingest import MAX_BYTES, IngestError, load_file, load_notice, notice_from_text

CJK = re.compile(r"[\u4e00-\u9fff]")


def _refused(path: Path, *fragments: str) -> str:
    with pytest.raises(IngestError) as info:
        load_notice(path)
    message = str(info.value)
    assert CJK.search(message) and message.endswith("。"), message
    for fragment in fragments:
        assert fragment in message, message
    return message


def test_empty_file(tmp_path):
    path = tmp_path / "空.txt"
    path.write_bytes(b"")
    assert _refused(path) == "文件为空：空.txt。请检查文件是否完整。"


@pytest.mark.parametrize("content", [b"   \n\r\n\t  ", "\u3000\u3000\n".encode(), b"\xef\xbb\xbf\n"])
def test_whitespace_only_file(tmp_path, content):
    path = tmp_path / "blank.txt"
    path.write_bytes(content)
    _refused(path, "没有文字内容")


def test_binary_file_with_nul_bytes(tmp_path):
    path = tmp_path / "data.txt"
    rng = random.Random(1)
    path.write_bytes(bytes(rng.randrange(256) for _ in range(4096)))
    _refused(path, "不是文本")


def test_zip_or_image_renamed_to_txt(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("a.txt", "你好")
    (tmp_path / "archive.txt").write_bytes(buf.getvalue())
    _refused(tmp_path / "archive.txt", "压缩包")
    (tmp_path / "picture.html").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x01" * 100)
    _refused(tmp_path / "picture.html", "PNG")


def test_control_characters_without_nul(tmp_path):
    path = tmp_path / "ctrl.txt"
    path.write_bytes(bytes(range(1, 9)) * 200 + "中文".encode())
    _refused(path, "控制字符")


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("巡察整改".encode() + b"\xff\xfe\xff abc \xff")
    _refused(path, "无法识别文件编码", "UTF-8")


def test_fifty_megabyte_file_is_refused_quickly_without_reading_it(tmp_path):
    path = tmp_path / "huge.txt"
    with path.open("wb") as fh:  # sparse: no 50 MB actually written
        fh.truncate(50 * 1024 * 1024)
    started = time.perf_counter()
    message = _refused(path, "文件过大", "50.0 MB", "20 MB")
    assert time.perf_counter() - started < 1.0, message
    assert MAX_BYTES == 20 * 1024 * 1024


def test_size_limit_is_a_parameter(tmp_path, sample_path):
    with pytest.raises(IngestError, match="文件过大"):
        load_file(sample_path("000"), max_bytes=1000)


def test_gbk_text_is_read_not_refused(tmp_path, sample_text):
    path = tmp_path / "gbk.txt"
    path.write_bytes(sample_text("004").encode("gbk"))
    notice = load_notice(path)
    assert (notice.encoding, notice.meta.organisation) == ("gbk", "中共新野县交通运输局党组")


@pytest.mark.parametrize(
    ("name", "fragment"),
    [("notice.xyz", ".xyz"), ("notice", "无扩展名"), ("notice.doc", "另存为 .docx"), ("scan.jpg", ".jpg")],
)
def test_unsupported_extension(tmp_path, name, fragment):
    path = tmp_path / name
    path.write_text("巡察整改通报", encoding="utf-8")
    message = _refused(path, fragment)
    if not name.endswith(".doc"):
        assert ".txt .text .md .docx .pdf .html .htm .xhtml" in message


def test_missing_file_and_directory(tmp_path):
    _refused(tmp_path / "没有这个文件.txt", "找不到文件")
    folder = tmp_path / "folder.txt"
    folder.mkdir()
    _refused(folder, "文件夹")


def test_docx_that_is_not_a_zip(tmp_path):
    path = tmp_path / "fake.docx"
    path.write_text("这其实是文本", encoding="utf-8")
    _refused(path, "不是有效的 Word 文档")


def test_zip_that_is_not_a_docx(tmp_path):
    path = tmp_path / "other.docx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("hello.txt", "不是 Word")
    _refused(path, "Word 文档")


def test_corrupt_docx_never_escapes_as_another_exception(tmp_path, sample_text, to_docx):
    good = to_docx(sample_text("000"), tmp_path / "good.docx").read_bytes()
    rng = random.Random(7)
    variants = [good[: len(good) // 2], good[:100], good[:-30]]
    for _ in range(20):
        damaged = bytearray(good)
        for _ in range(30):
            damaged[rng.randrange(len(damaged))] = rng.randrange(256)
        variants.append(bytes(damaged))
    for i, data in enumerate(variants):
        path = tmp_path / f"bad{i}.docx"
        path.write_bytes(data)
        try:
            load_notice(path)
        except IngestError as exc:
            assert CJK.search(str(exc))
    _refused(tmp_path / "bad0.docx", "Word 文档")


def test_docx_without_text(tmp_path):
    import docx

    path = tmp_path / "blank.docx"
    docx.Document().save(str(path))
    _refused(path, "没有文字内容")


def test_corrupt_and_non_pdf(tmp_path):
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj << /Type /Catalog >>\ngarbage")
    _refused(tmp_path / "broken.pdf", "PDF")
    (tmp_path / "fake.pdf").write_text("巡察整改通报", encoding="utf-8")
    _refused(tmp_path / "fake.pdf", "不是有效的 PDF")


def test_pdf_without_text_layer_looks_scanned(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    pdf = canvas.Canvas(str(path))
    pdf.rect(50, 50, 400, 600, fill=1)  # a drawing, no text: what a scan looks like to pypdf
    pdf.showPage()
    pdf.save()
    _refused(path, "扫描件", "OCR")


def test_text_without_chinese_is_not_a_notice(tmp_path):
    path = tmp_path / "english.txt"
    path.write_text("This is an English document about something else entirely.\n" * 5, encoding="utf-8")
    _refused(path, "不像巡察整改通报", "没有任何汉字")


def test_too_short_text_is_not_a_notice():
    with pytest.raises(IngestError, match="过短"):
        notice_from_text("整改完成。", "short.txt")


def test_ingest_does_not_import_store_qa_ui_or_cli():
    code = (
        "import sys, assistant.ingest; "
        "bad = [m for m in sys.modules if m.split('.')[0] == 'streamlit' "
        "or m.startswith(('assistant.store', 'assistant.qa', 'assistant.cli'))]; print(bad)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
