"""Structure-aware chunks: one per record, one per non-record section piece.

Each chunk starts with a heading line holding its outline path, so a passage read alone
still says where it sits in the notice; its span maps the body back to the notice text.
"""

from __future__ import annotations

import hashlib
import itertools
from enum import StrEnum

from pydantic import BaseModel, Field

from assistant.models import FlagCode, Notice, NoticeResult, Outline, OutlineNode, SectionKind, Span, Status
from assistant.text.sentences import sentence_end_cuts

MAX_SECTION_CHARS = 500


class ChunkKind(StrEnum):
    RECORD = "record"
    SECTION = "section"


class Chunk(BaseModel):
    chunk_id: str
    notice_id: str
    source_name: str
    organisation: str | None = None
    published: str | None = None  # ISO date
    kind: ChunkKind
    record_id: str | None = None
    outline_path: list[str] = Field(default_factory=list)
    status: Status | None = None
    flag_codes: list[FlagCode] = Field(default_factory=list)
    span: Span
    text: str  # heading line, newline, body
    body_offset: int  # text[body_offset:] is the notice text at `span`

    @property
    def body(self) -> str:
        return self.text[self.body_offset :]

    @property
    def search_text(self) -> str:
        """What is embedded and BM25-indexed: the issuing organisation, then the chunk text.

        Questions name the unit ("张家界交警支队…"); without this, only the preamble and contact
        lines carry that name, so they outrank the record the question is about.
        """
        return f"{self.organisation}\n{self.text}" if self.organisation else self.text

    @property
    def heading(self) -> str:
        return self.text[: max(self.body_offset - 1, 0)]


def _chunk_id(notice_id: str, span: Span, text: str) -> str:
    digest = hashlib.sha256(f"{notice_id}\x00{span.start}:{span.end}\x00{text}".encode()).hexdigest()
    return digest[:24]


def _make(
    notice: Notice, result: NoticeResult, kind: ChunkKind, path: list[str], span: Span, **extra: object
) -> Chunk:
    path = [" ".join(p.split()) for p in path]  # titles may hold line breaks from the source
    heading = " > ".join(p for p in path if p)
    body = span.slice(notice.text)
    text = f"{heading}\n{body}"
    meta = result.meta
    return Chunk(
        chunk_id=_chunk_id(notice.notice_id, span, text),
        notice_id=notice.notice_id,
        source_name=notice.source_name,
        organisation=meta.organisation,
        published=meta.published.isoformat() if meta.published else None,
        kind=kind,
        outline_path=path,
        span=span,
        text=text,
        body_offset=len(heading) + 1,
        **extra,  # type: ignore[arg-type]
    )


def _pieces(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Cut [start, end) at sentence ends into pieces of at most MAX_SECTION_CHARS (whitespace trimmed)."""
    out: list[tuple[int, int]] = []
    pos = start
    while pos < end:
        stop = min(end, pos + MAX_SECTION_CHARS)
        if stop < end:
            cut = max(sentence_end_cuts(text, pos, stop), default=stop)
            stop = cut if cut > pos + MAX_SECTION_CHARS // 3 else stop
        s, e = pos, stop
        while s < e and text[s].isspace():
            s += 1
        while e > s and text[e - 1].isspace():
            e -= 1
        if e > s:
            out.append((s, e))
        pos = stop
    return out


def _path_at(nodes: list[OutlineNode], pos: int) -> tuple[list[str], SectionKind]:
    """Headings (numbering kept) of the deepest outline node containing `pos`."""
    path: list[str] = []
    kind = SectionKind.PREAMBLE
    level = nodes
    while True:
        node = next((n for n in level if n.span.start <= pos < n.span.end), None)
        if node is None:
            return path, kind
        path.append(f"{node.label}{node.title}")
        kind = node.kind
        level = node.children


def chunk_notice(notice: Notice, result: NoticeResult, outline: Outline | None) -> list[Chunk]:
    """Record chunks from the records' source spans; the text between them as section chunks.

    `outline` is the one the pipeline parsed (None for a notice without numbering): never parsed again.
    """
    if outline is None:
        outline = Outline(styles=[], nodes=[])
    chunks: list[Chunk] = []
    covered: list[tuple[int, int]] = []
    for record in result.records:
        span = record.source_span
        path = [p for p in (record.outline_path or [record.problem])]
        chunks.append(
            _make(
                notice,
                result,
                ChunkKind.RECORD,
                path,
                span,
                record_id=record.record_id,
                status=record.status,
                flag_codes=record.flag_codes,
            )
        )
        covered.append((span.start, span.end))
    # gaps between records become section chunks, cut where the outline node changes
    boundaries = sorted(
        {0, len(notice.text)} | {n.span.start for n in outline.walk()} | {n.span.end for n in outline.walk()}
    )
    pos = 0
    gaps: list[tuple[int, int]] = []
    for s, e in sorted(covered):
        if s > pos:
            gaps.append((pos, s))
        pos = max(pos, e)
    if pos < len(notice.text):
        gaps.append((pos, len(notice.text)))
    for gap_start, gap_end in gaps:
        cuts = [gap_start] + [b for b in boundaries if gap_start < b < gap_end] + [gap_end]
        for a, b in itertools.pairwise(cuts):
            for s, e in _pieces(notice.text, a, b):
                path, _ = _path_at(outline.nodes, s)
                if path and notice.text[s:e] == path[-1]:
                    continue  # a bare heading: already the heading line of the chunks below it
                chunks.append(_make(notice, result, ChunkKind.SECTION, path, Span(start=s, end=e)))
    chunks.sort(key=lambda c: c.span.start)
    return chunks
