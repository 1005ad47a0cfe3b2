"""The offline rules extractor: outline → records with status, measures and evidence.

Which headings are records is decided by structure (`assistant.outline.roles`); this module reads
each record's problem, status, measures and deadline.
"""

from __future__ import annotations

import re
from functools import lru_cache

from assistant.evidence import measures_with_evidence
from assistant.extraction.measures import split_measures
from assistant.extraction.problem import read_problem, strip_category
from assistant.extraction.status import read_status
from assistant.models import Notice, Outline, OutlineNode, Record, Span
from assistant.outline.numbering import read_numbering
from assistant.outline.roles import RecordPlace, find_records, is_problem_title

DEADLINE_RE = re.compile(
    r"(?:计划|预计|力争|争取|要求[^，。；]{0,20}?|将|拟)(?:于|在)?\s*(?P<d>\d{4}年\d{1,2}月(?:\d{1,2}日|底|末)?(?:前|之前|以前)|\d{4}年底前|年底前|\d{1,2}月底前)"
)
_END_OF_TEXT = "。！？；;!?”’」』）)】…"


def _category_and_parent(place: RecordPlace) -> tuple[OutlineNode | None, OutlineNode | None]:
    path = place.path
    category = path[0] if path else None
    parent = path[1] if len(path) > 1 and is_problem_title(path[1]) else None
    return category, parent


def extract_rules(notice: Notice, outline: Outline) -> list[Record]:
    text = notice.text
    records: list[Record] = []
    seen_ids: set[str] = set()
    places = find_records(text, outline)
    content_end = len(text.rstrip())
    for place in places:
        node = place.node
        category, parent = _category_and_parent(place)
        problem = read_problem(node.title, node.title_span)
        body_start = node.title_span.end
        body = text[body_start : node.span.end]
        group = place.group if place.group is not None and place.group not in (category, parent) else None
        id_nodes = [n for n in (group, category, parent) if n is not None] + [node]
        record_id = _unique("-".join(_key(n) for n in id_nodes), seen_ids)
        status = read_status(
            _without_titles(body, body_start, place.measure_nodes),
            body_start,
            place.group.title if place.group else None,
        )
        measures = measures_with_evidence(text, split_measures(body, body_start, place.measure_nodes))
        deadline = DEADLINE_RE.search(body)
        truncated = node.span.end >= content_end and not text[: node.span.end].rstrip().endswith(
            tuple(_END_OF_TEXT)
        )
        records.append(
            Record(
                notice_id=notice.notice_id,
                record_id=record_id,
                category=strip_category(category.title) if category else None,
                parent_problem=read_problem(parent.title, parent.title_span).text if parent else None,
                problem=problem.text,
                problem_span=problem.span,
                problem_detail=problem.detail,
                problem_detail_span=problem.detail_span,
                status=status.status,
                status_text=status.text,
                status_span=status.span,
                measures=measures,
                deadline=deadline.group("d") if deadline else None,
                deadline_span=Span(start=body_start + deadline.start("d"), end=body_start + deadline.end("d"))
                if deadline
                else None,
                source_span=node.span,
                outline_path=[a.title for a in place.ancestors] + [node.title],
                outline_labels=[a.label for a in place.ancestors] + [node.label],
                truncated=truncated,
            )
        )
    return records


def _without_titles(body: str, offset: int, nodes: list[OutlineNode]) -> str:
    """The body with measure sub-item headings blanked: "（一）开展专项清理。" names a measure, reports nothing."""
    for node in nodes:
        start = max(0, node.span.start - offset)
        end = min(node.title_span.end - offset + 1, len(body))
        if end > start:
            body = body[:start] + " " * (end - start) + body[end:]
    return body


def _key(node: OutlineNode) -> str:
    return _label_key(node.label)


@lru_cache(maxsize=4096)
def _label_key(label: str) -> str:
    numbering = read_numbering(label)
    return numbering.key if numbering else label


def _unique(record_id: str, seen: set[str]) -> str:
    candidate, n = record_id, 2
    while candidate in seen:
        candidate = f"{record_id}#{n}"
        n += 1
    seen.add(candidate)
    return candidate
