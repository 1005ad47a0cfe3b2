"""Record boundaries from quoted first words: how the LLM segments what the outline could not.

When the outline yields no records, or fewer than the notice's totals claim, the model is shown
the uncovered sections (cut at sentence ends to the same budget as every call) and returns the
first words of each record, quoted. Each quote is aligned onto the notice like any other value;
a record runs from its aligned start to the next one's, and is then read by the same rules as an
outlined record (problem, status, measures, evidence), so it meets the same verification.
"""

from __future__ import annotations

from assistant.evidence import measures_with_evidence
from assistant.extraction.align import align
from assistant.extraction.measures import split_measures
from assistant.extraction.status import read_status
from assistant.models import Extractor, Notice, Outline, Record, Span, Totals


def needs_segmenting(records: list[Record], totals: Totals | None) -> bool:
    """No record found, or fewer than the most specific count the notice states."""
    if not records:
        return True
    if totals is None or totals.unreadable:
        return False
    counts = [c for c in (totals.specific_problems, totals.problems) if c is not None]
    return bool(counts) and len(records) < min(counts)


def uncovered_sections(notice: Notice, outline: Outline | None, records: list[Record]) -> list[Span]:
    """Top-level sections holding no record found so far (the whole text when there is no outline)."""
    text = notice.text
    if outline is None or not outline.nodes:
        return [Span(start=0, end=len(text))]
    covered = [r.source_span for r in records]
    out = []
    first = outline.nodes[0].span.start
    if not records and first > 0:
        out.append(Span(start=0, end=first))  # a preamble may hold unnumbered records too
    for node in outline.nodes:
        if not any(node.span.start <= c.start < node.span.end for c in covered):
            out.append(node.span)
    return out


def records_from_boundaries(
    notice: Notice, window: Span, first_words: list[str], problems: list[str], start_index: int
) -> tuple[list[Record], list[str]]:
    """Records for the quoted starts found in `window`; quotes not in the text are returned as dropped."""
    text = notice.text
    starts: list[tuple[int, str, Span]] = []
    dropped: list[str] = []
    for words, problem in zip(first_words, problems, strict=True):
        found = align(words, text, window)
        if found.span is None:
            dropped.append(f"记录起点：{words}")
            continue
        if all(found.span.start != s for s, _, _ in starts):
            starts.append((found.span.start, problem, found.span))
    starts.sort(key=lambda item: item[0])
    records: list[Record] = []
    for k, (start, problem, first_span) in enumerate(starts):
        end = starts[k + 1][0] if k + 1 < len(starts) else window.end
        while end > start and text[end - 1] in " \n\t":
            end -= 1
        source = Span(start=start, end=end)
        found = align(problem, text, source)
        placed = found.span
        if placed is None:
            dropped.append(f"问题：{problem}")
        problem_span = placed or first_span
        body_start = first_span.end
        body = text[body_start:end]
        status = read_status(body, body_start)
        measures = measures_with_evidence(text, split_measures(body, body_start))
        records.append(
            Record(
                notice_id=notice.notice_id,
                record_id=f"分段-{start_index + len(records) + 1}",
                problem=problem_span.slice(text),
                problem_span=problem_span,
                problem_alignment=found.alignment,
                status=status.status,
                status_text=status.text,
                status_span=status.span,
                measures=measures,
                source_span=source,
                outline_path=[problem_span.slice(text)],
                extractor=Extractor.LLM,
            )
        )
    return records, dropped
