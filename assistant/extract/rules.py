"""The offline rules extractor: outline nodes → records with status, measures and evidence."""

from __future__ import annotations

import re

from assistant.extract.measures import split_measures
from assistant.extract.problem import strip_category, strip_problem
from assistant.extract.status import read_status
from assistant.flags.evidence import find_evidence
from assistant.models import Measure, Notice, Outline, OutlineNode, Record, SectionKind, Span
from assistant.outline.numbering import INLINE_STYLES

DEADLINE_RE = re.compile(
    r"(?:计划|预计|力争|争取|要求[^，。；]{0,20}?|将|拟)(?:于|在)?\s*(?P<d>\d{4}年\d{1,2}月(?:\d{1,2}日|底|末)?(?:前|之前|以前)|\d{4}年底前|年底前|\d{1,2}月底前)"
)


def record_nodes(outline: Outline) -> list[tuple[list[OutlineNode], OutlineNode]]:
    """(ancestors, node) for every record: the lowest numbered heading in a records section."""
    found: list[tuple[list[OutlineNode], OutlineNode]] = []

    def visit(node: OutlineNode, ancestors: list[OutlineNode]) -> None:
        real_children = [c for c in node.children if c.style not in INLINE_STYLES]
        if not real_children:
            if ancestors or _is_category_level(outline):
                found.append((ancestors, node))
            return
        for child in real_children:
            visit(child, [*ancestors, node])

    for top in outline.nodes:
        if top.kind == SectionKind.RECORDS:
            visit(top, [])
    return found


def _is_category_level(outline: Outline) -> bool:
    return sum(1 for n in outline.nodes if n.kind == SectionKind.RECORDS) > 1


def _categories(outline: Outline, ancestors: list[OutlineNode]) -> tuple[OutlineNode | None, OutlineNode | None]:
    """Category and parent-problem headings for a record.

    A notice with several top-level records sections uses them as categories (002); one with a
    single wrapper section ("二、整改进展情况") has its categories one level down.
    """
    path = ancestors if _is_category_level(outline) else ancestors[1:]
    category = path[0] if path else None
    parent = path[1] if len(path) > 1 else None
    return category, parent


def extract_rules(notice: Notice, outline: Outline) -> list[Record]:
    text = notice.text
    records: list[Record] = []
    seen_ids: set[str] = set()
    for ancestors, node in record_nodes(outline):
        category, parent = _categories(outline, ancestors)
        problem, problem_span = strip_problem(node.title, node.title_span)
        body_start = node.title_span.end
        body = text[body_start : node.span.end]
        id_nodes = ([category] if category else []) + ([parent] if parent else []) + [node]
        record_id = _unique("-".join(_key(n) for n in id_nodes), seen_ids)
        status = read_status(body, body_start, [a.title for a in ancestors])
        measures = [
            Measure(text=m_text, span=m_span, evidence=find_evidence(m_text, m_span.start))
            for m_text, m_span in split_measures(body, body_start)
        ]
        deadline = DEADLINE_RE.search(body)
        records.append(
            Record(
                notice_id=notice.notice_id,
                record_id=record_id,
                category=strip_category(category.title) if category else None,
                parent_problem=strip_problem(parent.title, parent.title_span)[0] if parent else None,
                problem=problem,
                problem_span=problem_span,
                status=status.status,
                status_text=status.text,
                status_span=status.span,
                measures=measures,
                deadline=deadline.group("d") if deadline else None,
                deadline_span=Span(start=body_start + deadline.start("d"), end=body_start + deadline.end("d"))
                if deadline
                else None,
                source_span=node.span,
                outline_path=[a.title for a in ancestors] + [node.title],
            )
        )
    return records


def _key(node: OutlineNode) -> str:
    from assistant.outline.numbering import read_numbering

    numbering = read_numbering(node.label)
    return numbering.key if numbering else node.label


def _unique(record_id: str, seen: set[str]) -> str:
    candidate, n = record_id, 2
    while candidate in seen:
        candidate = f"{record_id}#{n}"
        n += 1
    seen.add(candidate)
    return candidate
