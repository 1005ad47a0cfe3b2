"""Read a notice file into plain text, whatever its format and encoding.

Notices arrive as web-page text, Word documents, PDFs and saved HTML, in UTF-8 or in the
GBK family that Chinese government sites and Windows tools still produce. Each loader returns
the text with one line per paragraph, so that normalisation (and therefore the notice id) is
the same whatever format a notice was saved in. Every failure becomes an `IngestError` with a
Chinese message; no library exception escapes.
"""

from __future__ import annotations

import io
import re
import unicodedata
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from assistant.ingest.errors import IngestError

MAX_BYTES = 20 * 1024 * 1024
"""Largest file we read. Real notices are tens of kilobytes; anything this big is a mistake."""

FORMATS: dict[str, str] = {
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".docx": "docx",
    ".pdf": "pdf",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}
"""The one table of supported file types: suffix → the loader that reads it. A file loads by
name exactly when a folder scan picks it up."""
SUPPORTED_SUFFIXES = tuple(FORMATS)
SUPPORTED = " ".join(SUPPORTED_SUFFIXES)

_BOMS: tuple[tuple[bytes, str], ...] = (
    (b"\xef\xbb\xbf", "utf-8-sig"),
    (b"\xff\xfe\x00\x00", "utf-32-le"),
    (b"\x00\x00\xfe\xff", "utf-32-be"),
    (b"\xff\xfe", "utf-16-le"),
    (b"\xfe\xff", "utf-16-be"),
)

# Magic numbers of formats that are certainly not text (checked only for text/html files).
_BINARY_MAGIC: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "压缩包或 Office 文档"),
    (b"%PDF", "PDF 文档"),
    (b"\xd0\xcf\x11\xe0", "旧版 Office 文档（.doc/.xls）"),
    (b"\x89PNG", "PNG 图片"),
    (b"\xff\xd8\xff", "JPEG 图片"),
    (b"GIF8", "GIF 图片"),
    (b"\x1f\x8b", "gzip 压缩包"),
    (b"Rar!", "RAR 压缩包"),
    (b"7z\xbc\xaf", "7z 压缩包"),
    (b"\x7fELF", "可执行文件"),
    (b"MZ", "可执行文件"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
# What real notice text is made of: ASCII, CJK, CJK and full-width punctuation, spaces.
_PLAIN = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u00ff\u2000-\u206f\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]"
)


@dataclass(frozen=True)
class LoadedText:
    """What a loader read: the text, the format it came from and (for text formats) the encoding."""

    text: str
    format: str
    encoding: str | None = None


def load_file(path: str | Path, max_bytes: int = MAX_BYTES) -> LoadedText:
    """Read `path` by its extension; raise `IngestError` for anything that is not a readable notice."""
    path = Path(path)
    name = path.name
    suffix = path.suffix.lower()
    fmt = FORMATS.get(suffix)
    if fmt is None and suffix == ".doc":
        raise IngestError(
            f"不支持旧版 Word 格式（.doc）：{name}。请用 Word 或 WPS 另存为 .docx 后再导入。", source=name
        )
    if fmt is None:
        shown = suffix or "（无扩展名）"
        raise IngestError(
            f"不支持的文件类型 {shown}：{name}。支持的类型有 {SUPPORTED}，请转换后再导入。", source=name
        )

    data = _read_bytes(path, max_bytes)
    if fmt == "txt":
        text, encoding = decode_text(data, name)
        return LoadedText(_check_text(text, name), "txt", encoding)
    if fmt == "html":
        text, encoding = decode_text(data, name)
        return LoadedText(_check_text(html_to_text(text), name), "html", encoding)
    if fmt == "docx":
        return LoadedText(_check_text(docx_to_text(data, name), name), "docx", None)
    return LoadedText(pdf_to_text(data, name), "pdf", None)


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    """The file's bytes, refusing missing, empty and oversized files before reading them."""
    name = path.name
    try:
        if not path.exists():
            raise IngestError(f"找不到文件：{path}。请检查路径是否正确。", source=name)
        if path.is_dir():
            raise IngestError(f"这是一个文件夹而不是文件：{path}。请指定其中的通报文件。", source=name)
        size = path.stat().st_size
        if size > max_bytes:
            raise IngestError(
                f"文件过大：{name}（{size / 1024 / 1024:.1f} MB，上限 {max_bytes / 1024 / 1024:.0f} MB）。"
                "通报通常只有几十 KB，请确认选择的是通报文件，或拆分后再导入。",
                source=name,
            )
        if size == 0:
            raise IngestError(f"文件为空：{name}。请检查文件是否完整。", source=name)
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)  # the size can change after stat (pipes, growing files)
    except OSError as exc:
        raise IngestError(
            f"无法读取文件：{name}（{exc.strerror or exc}）。请检查文件权限和路径。", source=name
        ) from exc
    if len(data) > max_bytes:
        raise IngestError(
            f"文件过大：{name}（超过 {max_bytes / 1024 / 1024:.0f} MB）。请确认选择的是通报文件。",
            source=name,
        )
    if not data:
        raise IngestError(f"文件为空：{name}。请检查文件是否完整。", source=name)
    return data


def decode_text(data: bytes, name: str = "文本") -> tuple[str, str]:
    """Decode bytes of unknown encoding: BOM, then strict UTF-8, then strict GBK / GB18030.

    Strictness matters: a lenient decode turns a wrong guess into silent mojibake, which
    would then be extracted and cited as if it were the notice.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError as exc:
                raise IngestError(
                    f"文件编码损坏：{name} 以 {encoding} 的字节序标记开头，但内容无法按该编码解码。"
                    "请用文本编辑器重新保存为 UTF-8 后再导入。",
                    source=name,
                ) from exc
            text = text.removeprefix("\ufeff")
            _check_not_binary_text(text, name)
            return text, encoding.removesuffix("-sig")
    for magic, kind in _BINARY_MAGIC:
        if data.startswith(magic):
            raise IngestError(
                f"文件不是文本：{name} 看起来是{kind}，但扩展名是文本类型。请确认文件类型，或改用正确的扩展名。",
                source=name,
            )
    if b"\x00" in data:
        utf16 = _bomless_utf16(data)
        if utf16 is not None:
            return utf16
        raise IngestError(
            f"文件不是文本：{name} 含有二进制数据（空字节）。请确认选择的是通报的文本、Word、PDF 或网页文件。",
            source=name,
        )
    for encoding in ("utf-8", "gbk", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        _check_not_binary_text(text, name)
        return text, encoding
    raise IngestError(
        f"无法识别文件编码：{name} 既不是 UTF-8，也不是 GBK/GB18030。请用文本编辑器另存为 UTF-8 后再导入。",
        source=name,
    )


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """UTF-16 saved without a BOM (some Windows tools): accept a decoding that reads as Chinese text."""
    if len(data) % 2:
        return None
    best: tuple[float, str, str] | None = None
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        sample = text[:20000]
        if _CONTROL.search(sample):
            continue
        share = len(_PLAIN.findall(sample)) / max(1, len(sample))
        if share >= 0.9 and (best is None or share > best[0]):
            best = (share, text, encoding)
    return (best[1], best[2]) if best else None


def _check_not_binary_text(text: str, name: str) -> None:
    """Refuse decoded text that is mostly control characters: binary data that happened to decode."""
    sample = text[:20000]
    if sample and len(_CONTROL.findall(sample)) > max(8, len(sample) // 100):
        raise IngestError(
            f"文件不是文本：{name} 含有大量控制字符，看起来是二进制文件。请确认文件类型。", source=name
        )


def _check_text(text: str, name: str) -> str:
    if not text.strip():
        raise IngestError(f"文件没有文字内容：{name}。请检查文件是否完整。", source=name)
    return text


# --- HTML -------------------------------------------------------------------------------------

_DROP_TAGS = ("script", "style", "nav", "noscript", "template", "head", "iframe", "svg", "object", "form")
_BLOCK_TAGS = frozenset(
    {
        *("address", "article", "aside", "blockquote", "body", "center", "dd", "details", "dialog", "dir"),
        *("div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "h1", "h2", "h3", "h4", "h5"),
        *("h6", "header", "hgroup", "hr", "html", "li", "main", "menu", "ol", "p", "pre", "section"),
        *("summary", "table", "tbody", "thead", "tfoot", "tr", "td", "th", "caption", "ul"),
    }
)
_SOFT = "\ue000"  # a block boundary: consecutive boundaries are one line break
_HARD = "\ue001"  # <br> or an empty paragraph: one line break each
_HTML_SPACE = re.compile(r"[ \t\n\r\f]+")
_BREAKS = re.compile(f"[{_SOFT}{_HARD} ]*[{_SOFT}{_HARD}][{_SOFT}{_HARD} ]*")


def html_to_text(html: str) -> str:
    """Visible text of a web page, one line per block element (p, div, li, td, br …).

    Whitespace inside text is collapsed as a browser would, so source formatting of the HTML
    does not leak into the notice; empty paragraphs and `<br>` keep their blank lines.
    """
    try:
        from bs4 import BeautifulSoup
        from bs4.element import Comment, Declaration, Doctype, NavigableString, ProcessingInstruction, Tag

        soup = BeautifulSoup(html.replace(_SOFT, "").replace(_HARD, ""), "html.parser")
        for tag in soup.find_all(_DROP_TAGS):
            tag.decompose()
        parts: list[str] = []
        skip = (Comment, Declaration, Doctype, ProcessingInstruction)
        for node in soup.descendants:
            if isinstance(node, NavigableString):
                if not isinstance(node, skip):
                    parts.append(_HTML_SPACE.sub(" ", str(node)))
            elif isinstance(node, Tag):
                if node.name == "br":
                    parts.append(_HARD)
                elif node.name in _BLOCK_TAGS:
                    empty = node.name in {"p", "div"} and not node.get_text().strip()
                    parts.append(_HARD if empty else _SOFT)
                    # mark the block's end by appending a boundary after its last descendant
                    node.append(NavigableString(_SOFT))
    except IngestError:
        raise
    except Exception as exc:  # html.parser is lenient; this is a guard, not an expected path
        raise IngestError(f"网页内容无法解析：{exc}。请另存为 .txt 后再导入。") from exc
    raw = "".join(parts)

    def _breaks(m: re.Match[str]) -> str:
        run = m.group(0)
        return "\n" * ((1 if _SOFT in run else 0) + run.count(_HARD))

    return _BREAKS.sub(_breaks, raw).strip("\n")


# --- DOCX -------------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_to_text(data: bytes, name: str = "文档") -> str:
    """Paragraphs and table cells of a Word document in document order, one paragraph a line."""
    if not data.startswith(b"PK"):
        raise IngestError(
            f"不是有效的 Word 文档（.docx）：{name}。文件可能已损坏，或是改了扩展名的其他文件；"
            "请用 Word 或 WPS 打开后另存为 .docx 再导入。",
            source=name,
        )
    try:
        import docx

        document = docx.Document(io.BytesIO(data))
        lines = list(_docx_blocks(document.element.body, document))
    except IngestError:
        raise
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, EOFError) as exc:
        raise IngestError(
            f"Word 文档已损坏或格式不正确：{name}。请用 Word 或 WPS 打开后另存为 .docx 再导入。", source=name
        ) from exc
    except Exception as exc:  # python-docx / lxml raise many types on malformed packages
        raise IngestError(
            f"Word 文档无法读取：{name}（{type(exc).__name__}）。请用 Word 或 WPS 打开后另存为 .docx 再导入。",
            source=name,
        ) from exc
    return "\n".join(lines)


def _docx_blocks(element: Any, parent: Any) -> Iterator[str]:
    """Walk a body or cell element: paragraphs as lines, tables cell by cell, content controls inline."""
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    for child in element.iterchildren():
        tag = child.tag
        if tag == f"{_W}p":
            yield Paragraph(child, parent).text
        elif tag == f"{_W}tbl":
            table = Table(child, parent)
            for row in table.rows:
                seen: set[int] = set()
                for cell in row.cells:
                    if id(cell._tc) in seen:  # a merged cell appears once per spanned column
                        continue
                    seen.add(id(cell._tc))
                    yield from _docx_blocks(cell._tc, _Cell(cell._tc, table))
        elif tag == f"{_W}sdt":
            content = child.find(f"{_W}sdtContent")
            if content is not None:
                yield from _docx_blocks(content, parent)


# --- PDF --------------------------------------------------------------------------------------


def pdf_to_text(data: bytes, name: str = "文档") -> str:
    """Text layer of a PDF, page by page. A PDF without one is a scan and needs OCR first."""
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise IngestError(
            f"不是有效的 PDF 文件：{name}。文件可能已损坏，或是改了扩展名的其他文件。", source=name
        )
    try:
        import logging

        from pypdf import PdfReader

        logging.getLogger("pypdf").setLevel(logging.ERROR)
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(f"PDF 文件有密码保护：{name}。请解除密码后再导入。", source=name)
        pages: list[str] = []
        for number, page in enumerate(reader.pages, start=1):
            try:
                pages.append(page.extract_text() or "")
            except Exception as exc:  # a partial notice would be audited as if complete: refuse it
                raise IngestError(
                    f"PDF 第 {number} 页已损坏，无法提取文字：{name}（{type(exc).__name__}）。"
                    "请重新导出 PDF，或另存为文本后再导入。",
                    source=name,
                ) from exc
    except IngestError:
        raise
    except Exception as exc:  # pypdf raises PdfReadError, ValueError, KeyError … on damaged files
        raise IngestError(
            f"PDF 文件已损坏或无法解析：{name}（{type(exc).__name__}）。请重新导出 PDF，或另存为文本后再导入。",
            source=name,
        ) from exc
    # one pass over the whole document: a paragraph may run over a page break
    kept = [p.strip("\n") for p in pages]
    starts, line = set(), 0
    for page_text in kept:
        starts.add(line)
        line += page_text.count("\n") + 1
    text = unwrap_lines("\n".join(kept), frozenset(starts))
    if not _CJK.search(text) and len(text.strip()) < 20:
        raise IngestError(
            f"PDF 中没有可提取的文字：{name}。它看起来是扫描件（图片），请先做文字识别（OCR）后再导入。",
            source=name,
        )
    return text


# Lines that begin a paragraph of their own: the preamble, a closing paragraph, contact details.
_PARAGRAPH_START = re.compile(r"^(?:下一步|下步|今后|欢迎|联系(?:电话|方式)|电子邮箱|邮箱)")
_TITLE_END = re.compile(r"(?:通报|公告|报告|情况)$")
_MID_WORD = re.compile(r"[\u4e00-\u9fff]$")
_LABEL_START = re.compile(r"^[【\[]?[\u4e00-\u9fff]{2,8}[】\]]?[:：]")
_UNBREAKABLE = re.compile(r"[0-9A-Za-z][0-9A-Za-z@._\-]{5,}")
# A numbered heading (一是/二是 lists wrap onto new lines as often as not, so they are not here).
_HEADING = re.compile(
    r"^(?:[一二三四五六七八九十]+[、，,.．]|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d+(?:[.．、)）]|\s*[-－]\s*\d)|问题\s*[\d一二三四五六七八九十])"
)
_SENTENCE_MARKS = re.compile(r"[，。；：！？,;:]")


def _width(line: str) -> int:
    """Display width in a Chinese layout: wide, full-width and ambiguous characters (“”…) take two columns."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WFA" else 1 for ch in line)


def unwrap_lines(page: str, page_starts: frozenset[int] = frozenset()) -> str:
    """Rejoin the hard line breaks a PDF's text layer puts inside paragraphs.

    A line that fills the page's measure (within about one character of the widest lines; an
    indented first line two characters less) was wrapped, not ended: it is joined to the next,
    unless the next is indented or starts a heading, a label, a list item or a signature. Lines that
    stop short end their paragraph, as they did in the source document. `page_starts` are the
    indices of lines that begin a page: their indent is not in the text layer, so after a finished
    sentence one that starts a heading or a label is taken to begin a paragraph.
    """
    from assistant.ingest.normalise import starts_block

    lines = page.split("\n")
    widths = sorted(_width(line.strip()) for line in lines if line.strip())
    if len(widths) < 3:
        return page
    full = widths[-1]  # the measure of a full line on this page …
    if sum(1 for w in widths if w >= full - 3) < max(3, len(widths) // 5):
        return page  # … if the page has one: lines of every length are paragraphs, not wraps

    # Where paragraphs are indented, an indent marks every paragraph start, so a line a few characters
    # short of the measure (half-width digits and punctuation make widths uneven) still wrapped.
    indents = any(line[:1].isspace() and line.strip() for line in lines)
    slack = 7 if indents else 3

    def wrapped(line: str, indented: bool) -> bool:
        return _width(line) >= full - slack - (4 if indented else 0)

    def continues(before: str, after: str) -> bool:
        if not after or _TITLE_END.search(before):
            return False
        if (
            before.endswith(("。", "！", "？", "；"))
            and not wrapped(after, False)
            and not _SENTENCE_MARKS.search(after)
        ):
            return False  # a short line after a finished sentence: a signature, a date, a heading
        if indents:
            return True  # paragraphs are marked by their indent; a wrapped line is never indented
        if _PARAGRAPH_START.match(after) or _HEADING.match(after):
            return False
        # a label after a full line starts a block, unless the line broke inside a word ("…；电" ⏎ "子邮箱：")
        return not starts_block(after) or bool(_MID_WORD.search(before))

    out: list[str] = []
    previous, previous_indented = "", False  # the last physical line and whether it was indented
    for i, line in enumerate(lines):
        stripped = line.strip()
        indented = line[:1].isspace() and bool(stripped)
        if (
            i in page_starts
            and previous.endswith(("。", "！", "？", "；", "："))
            and (_HEADING.match(stripped) or _LABEL_START.match(stripped) or _PARAGRAPH_START.match(stripped))
        ):
            indented = True  # a page's first line after a finished sentence, starting a heading or label
        # a line also breaks early before a token that cannot be split ("联系电话：" ⏎ "0591-83365120")
        early = indents and bool(_UNBREAKABLE.match(stripped))
        if (
            out
            and previous
            and stripped
            and not indented
            and (wrapped(previous, previous_indented) or early)
            and continues(previous, stripped)
        ):
            out[-1] = out[-1].rstrip() + stripped
        else:
            out.append(line)
        previous, previous_indented = stripped, indented
    return "\n".join(out)
