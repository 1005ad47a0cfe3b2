"""Which numbered headings are records: by the structure of the notice, not by its vocabulary.

A record is the lowest numbered problem that has rectification text of its own (DESIGN.md). What
counts as rectification text is open (STRUCTURES.md §1): a label of the open family
(`整改情况/成效/措施/进展…`), or no label at all — action text reported after the problem line — or
numbered sub-items that are actions (the heading-is-the-problem layout). Status-group headings
("已整改完成的问题") hold records and give them a status; organisational and closing sections never
hold records, whatever they mention.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from assistant.lexicon.fast import lead
from assistant.lexicon.headings import (
    ACTION_START,
    AREA,
    CLOSING,
    DEFICIENCY,
    ORGANISATIONAL,
    PROBLEM_HEADING,
    RECORDS_WRAPPER,
    SHORTFALL,
)
from assistant.lexicon.labels import PLAN_FIELD, RECTIFICATION_LABEL, STATUS_LABEL
from assistant.lexicon.status import BRACKET_STATUS, FUTURE, MIXED_GROUP, PERFECTIVE, STATUS_GROUP
from assistant.models import Outline, OutlineNode
from assistant.outline.numbering import INLINE_STYLES

_WRAPPED_PROBLEM = re.compile(r"^(?:关于|针对)|(?:的)?问题[。.]?$|问题[。.]?[（(【\[]")
_CLAUSES = re.compile(r"[^，,。；;！？\n]+")
_RECOMMENDATION = lead(re.compile(r"建议|要求|应当|^应|必须|要(?:切实|进一步|加强|严格|坚持|把)"))


@dataclass
class RecordPlace:
    """A record found in the outline: its heading, where it sits, and the sub-items that are measures."""

    node: OutlineNode
    ancestors: list[OutlineNode]
    measure_nodes: list[OutlineNode] = field(default_factory=list)
    group: OutlineNode | None = None  # the nearest status-group heading above it

    @property
    def path(self) -> list[OutlineNode]:
        """Ancestors that name an area or a parent problem (wrappers, groups and actions left out)."""
        return [a for a in self.ancestors if naming_heading(a)]


def real_children(node: OutlineNode) -> list[OutlineNode]:
    return [c for c in node.children if c.style not in INLINE_STYLES]


# The predicates below read a heading's title only (and its numbering style): each record asks them
# again of the ancestors it shares with its siblings, so the answers are kept per title.
_TITLES = 8192


@lru_cache(maxsize=_TITLES)
def is_status_group(title: str) -> bool:
    return bool(STATUS_GROUP.match(title))


@lru_cache(maxsize=_TITLES)
def group_is_mixed(title: str) -> bool:
    """A group heading that says it holds items of another status too gives its items no status."""
    return bool(MIXED_GROUP.search(title))


def is_problem_title(node: OutlineNode) -> bool:
    """A heading that names a shortfall: a deficiency cue, a `关于/针对…问题` wrapper, or `问题N`."""
    return node.style == "wenti" or _problem_title(node.title)


@lru_cache(maxsize=_TITLES)
def _problem_title(title: str) -> bool:
    if is_status_group(title) or RECORDS_WRAPPER.search(title):
        return False
    return bool(DEFICIENCY.search(title) or _WRAPPED_PROBLEM.search(title))


def is_action_title(node: OutlineNode) -> bool:
    """A heading that names something done or to do ("加强组织领导", "（一）开展作风专项整顿")."""
    return _action_title(node.title)


@lru_cache(maxsize=_TITLES)
def _action_title(title: str) -> bool:
    return bool(ACTION_START.match(title)) and not DEFICIENCY.search(title)


@lru_cache(maxsize=_TITLES)
def is_problem_heading(title: str) -> bool:
    """The heading-is-the-problem layout: `关于“…”问题的整改情况`, its sub-items are measures."""
    if RECORDS_WRAPPER.search(title):
        return False
    m = PROBLEM_HEADING.match(title)
    return bool(m) and len(m.group("p")) >= 2 and bool(re.search(r"^(?:关于|针对)|[“\"「『]", title))


def is_closing(node: OutlineNode) -> bool:
    return _closing(node.title)


@lru_cache(maxsize=_TITLES)
def _closing(title: str) -> bool:
    return bool(CLOSING.search(title)) and not DEFICIENCY.search(title)


def is_organisational(node: OutlineNode) -> bool:
    return _organisational(node.title)


@lru_cache(maxsize=_TITLES)
def _organisational(title: str) -> bool:
    return bool(ORGANISATIONAL.search(title)) and not DEFICIENCY.search(title)


def naming_heading(node: OutlineNode) -> bool:
    """Headings that belong in a record's category path: areas and problems, not wrappers or groups."""
    return _naming(node.title)


@lru_cache(maxsize=_TITLES)
def _naming(title: str) -> bool:
    if is_status_group(title) or RECORDS_WRAPPER.search(title):
        return False
    # "二、坚持问题导向，逐项推进整改" wraps records without naming them
    return not (_action_title(title) and not AREA.search(title))


def has_label(text: str) -> bool:
    return bool(RECTIFICATION_LABEL.search(text) or STATUS_LABEL.search(text))


_LIST_START = re.compile(r"^(?:[一二三四五六七八九十]是|首先|其次|再次|最后|同时|此外|另外)")
_NEGATED = re.compile(r"未|没有")  # (尚未 holds 未)


def reports_action(text: str) -> bool:
    """Text that reports rectification steps rather than describing the problem or recommending.

    Clauses with a perfective marker (已/了/完成) and no shortfall in them, or starting with an action
    verb, against clauses that describe a shortfall: the former must be there and not be outnumbered.
    """
    actions = shortfalls = 0
    for m in _CLAUSES.finditer(text):
        clause = m.group(0).strip()
        if len(clause) < 3:
            continue
        if _RECOMMENDATION.search(clause):
            continue
        body = _LIST_START.sub("", clause, count=1)
        listed = body != clause  # "一是…": an item of a list, a measure unless it names a shortfall
        perfective = PERFECTIVE.search(clause) and not _NEGATED.search(clause)
        if perfective or ((listed or ACTION_START.match(body)) and not SHORTFALL.search(body)):
            actions += 1
        elif SHORTFALL.search(clause) and not clause.startswith(("针对", "对")):
            shortfalls += 1
    return actions >= 1 and actions >= shortfalls


def _body(node: OutlineNode, text: str) -> str:
    return text[node.title_span.end : node.span.end]


def _own_text(node: OutlineNode, text: str) -> str:
    """The node's text before its first real child."""
    children = real_children(node)
    end = children[0].span.start if children else node.span.end
    return text[node.title_span.end : max(end, node.title_span.end)]


def find_records(text: str, outline: Outline) -> list[RecordPlace]:
    """Every record in the outline, in document order (none in an action plan)."""
    found = _candidates(text, outline)
    return [] if is_plan(found, text) else found


def _candidates(text: str, outline: Outline) -> list[RecordPlace]:
    found: list[RecordPlace] = []
    for top in outline.nodes:
        if is_closing(top) or (is_organisational(top) and not _holds_labels(top, text)):
            continue
        _visit(top, [], text, found)
    return found


_REPORTED = re.compile(r"已(?!于?\s*(?:将|计划))|了(?!解)")


def is_plan(places: list[RecordPlace], text: str) -> bool:
    """An action plan (整改方案), not a progress notice: its items carry plan fields (责任领导, 完成时限,
    整改目标) and none of them reports anything done."""
    if not places:
        return False
    bodies = [_body(p.node, text) for p in places]
    with_fields = sum(1 for b in bodies if PLAN_FIELD.search(b))
    if with_fields * 2 < len(places):
        return False  # most items carry no plan field: a progress notice, whatever they report
    return not any(
        _REPORTED.search(s) and not FUTURE.search(s[:6]) for b in bodies for s in re.split("[。；]", b)
    )


def describe_absence(text: str, outline: Outline | None) -> str:
    """Why no record was found, in words a reviewer can check against the notice."""
    if outline is None or not outline.nodes:
        return "未识别到编号结构（如“一、”“（一）”“1.”），通报正文没有可拆分的条目，未抽取到整改记录。"
    nodes = [n for n in outline.walk() if n.style not in INLINE_STYLES]
    candidates = _candidates(text, outline)
    if candidates and is_plan(candidates, text):
        return (
            f"这看起来是一份整改方案：{len(candidates)}条问题下列出的是整改目标、措施、责任人和完成时限，"
            "没有报告已做的整改，因此不作为整改记录。"
        )
    problems = [n for n in nodes if is_problem_title(n) and not real_children(n)]
    if problems:
        return (
            f"识别到{len(nodes)}个编号标题，其中{len(problems)}个是问题（如“{problems[0].title[:20]}”），"
            "但这些问题下没有整改情况或整改措施的文字；这可能是巡察反馈情况通报，而非整改进展通报。"
        )
    return (
        f"识别到{len(nodes)}个编号标题（如“{nodes[0].title[:20]}”），但都是组织整改、工作安排等章节，"
        "没有逐条列出问题及其整改情况。"
    )


def _holds_labels(node: OutlineNode, text: str) -> bool:
    return has_label(_body(node, text))


def _visit(node: OutlineNode, ancestors: list[OutlineNode], text: str, found: list[RecordPlace]) -> bool:
    """Find records at or under `node`; True if any was found."""
    children = real_children(node)
    title = node.title
    if is_problem_heading(title) and children and not any(has_label(_body(c, text)) for c in children):
        found.append(RecordPlace(node, ancestors, measure_nodes=children, group=_group_of(ancestors)))
        return True
    if children:
        before = len(found)
        for child in children:
            _visit(child, [*ancestors, node], text, found)
        if len(found) > before:
            return True
        # no records below: the children may be the measures of this problem
        if (
            is_problem_title(node)
            and not is_status_group(title)
            and all(is_action_title(c) for c in children)
        ):
            body = _body(node, text)
            if has_label(body) or reports_action(body):
                found.append(RecordPlace(node, ancestors, measure_nodes=children, group=_group_of(ancestors)))
                return True
        return False
    if is_status_group(title) or (AREA.search(title) and not has_label(_own_text(node, text))):
        return False
    body = _body(node, text)
    labelled = has_label(body) or bool(BRACKET_STATUS.search(title))
    problem = is_problem_title(node)
    if labelled or (problem and reports_action(body)):
        found.append(RecordPlace(node, ancestors, group=_group_of(ancestors)))
        return True
    return False


def _group_of(ancestors: list[OutlineNode]) -> OutlineNode | None:
    for a in reversed(ancestors):
        if is_status_group(a.title):
            return a
    return None
