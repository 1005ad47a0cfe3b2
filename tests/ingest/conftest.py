"""Writers that save a notice's text in the other formats a notice arrives in."""

from __future__ import annotations

import html
from pathlib import Path

import pytest


def write_docx(text: str, path: Path) -> Path:
    """One Word paragraph per line, as a person pasting the notice into Word would get."""
    import docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    document.save(str(path))
    return path


def write_html(text: str, path: Path, encoding: str = "utf-8", chrome: bool = True) -> Path:
    """A web page with one <p> per line, plus the usual script/style/nav around the content."""
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in text.split("\n"))
    extra_head = "<style>p { margin: 0 }</style><script>var x = '不要这段脚本';</script>" if chrome else ""
    nav = "<nav><a href='/'>网站导航不要</a></nav>" if chrome else ""
    page = (
        f"<!DOCTYPE html>\n<html><head><meta charset='{encoding}'><title>页面标题不要</title>{extra_head}</head>\n"
        f"<body>{nav}\n<div class='content'>\n{body}\n</div>"
        f"<script>document.write('脚本不要')</script></body></html>"
    )
    path.write_bytes(page.encode(encoding, "xmlcharrefreplace"))  # NBSP in GBK → &#160;
    return path


def write_pdf(text: str, path: Path) -> Path:
    """One drawn string per line with reportlab's built-in CID font (no font files needed)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    y = 800
    for line in text.split("\n"):
        if y < 40:
            pdf.showPage()
            y = 800
        pdf.setFont("STSong-Light", 10)
        pdf.drawString(20, y, line)
        y -= 14
    pdf.save()
    return path


@pytest.fixture(scope="session")
def to_docx():
    return write_docx


@pytest.fixture(scope="session")
def to_html():
    return write_html


@pytest.fixture(scope="session")
def to_pdf():
    return write_pdf
