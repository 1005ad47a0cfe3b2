"""Build the development notices that are not plain UTF-8 text from their text sources.

`src/<stem>.<kind>.txt` (UTF-8, one paragraph per line) becomes `<stem>.docx`, `<stem>.pdf`
(reportlab, paragraphs flowed into a narrow frame so the text layer has hard line breaks
inside sentences, headings and labels, as real exported PDFs do) or `<stem>.txt` saved in GBK.
Run from the repository root: `python evals/dev/build.py` (needs the test extra: reportlab).
The outputs are committed, so the eval never depends on this script having been run.
"""

from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def build_docx(lines: list[str], out: Path) -> None:
    import docx

    document = docx.Document()
    for line in lines:
        document.add_paragraph(line)
    document.save(str(out))


def build_pdf(lines: list[str], out: Path) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    # first lines indented two characters, as official documents are (公文 首行缩进两字)
    style = ParagraphStyle(
        "body", fontName="STSong-Light", fontSize=11, leading=16, wordWrap="CJK", firstLineIndent=22
    )
    # a frame about 26 characters wide: most paragraphs wrap, several times
    doc = SimpleDocTemplate(
        str(out), pagesize=A4, leftMargin=150, rightMargin=150, topMargin=60, bottomMargin=60
    )
    story = []
    for line in lines:
        if line.strip():
            story.append(Paragraph(line.replace("&", "&amp;").replace("<", "&lt;"), style))
        else:
            story.append(Spacer(1, 8))
    doc.build(story)


def build_gbk(lines: list[str], out: Path) -> None:
    out.write_bytes("\r\n".join(lines).encode("gbk"))


BUILDERS = {"docx": (build_docx, ".docx"), "pdf": (build_pdf, ".pdf"), "gbk": (build_gbk, ".txt")}


def main() -> int:
    built = 0
    for src_dir in (HERE / "src", HERE / "holdout" / "src"):
        for src in sorted(src_dir.glob("*.*.txt")):
            stem, kind, _ = src.name.rsplit(".", 2)
            if kind not in BUILDERS:
                print(f"skipped {src.name}: unknown kind {kind}", file=sys.stderr)
                continue
            build, suffix = BUILDERS[kind]
            out = src_dir.parent / f"{stem}{suffix}"
            build(src.read_text(encoding="utf-8").splitlines(), out)
            print(f"{src.relative_to(HERE)} -> {out.relative_to(HERE)}")
            built += 1
    return 0 if built else 1


if __name__ == "__main__":
    raise SystemExit(main())
