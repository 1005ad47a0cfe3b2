"""The summary totals a notice claims ("反馈问题3个方面9个，已完成整改7个，阶段性完成2个").

Every wording of STRUCTURES.md §2: counts of areas / problems / specific problems in one sentence
(`2个方面11个`, `5个方面、21个主要问题`, `4大项17小项`, `整改任务42项`), status counts after it in the
same sentence or the next (`、`- or `，`-joined, statuses in quotes), wherever the verb stands
(`巡察组向XX党组反馈了…`). Numbers that cannot be right (characters lost in publishing:
`512个方面40个问题`) make the totals unreadable, never a guess. A second statement that disagrees
is kept so the reader sees both.
"""

from __future__ import annotations

import bisect
import re

from assistant.lexicon.status import status_of_phrase
from assistant.models import Span, Status, Totals
from assistant.text.numerals import cn_number
from assistant.text.sentences import clause_spans, sentence_spans

_CN = "〇零一二两三四五六七八九十百"
_NUM = rf"\d+|[{_CN}]+"
# A sentence that states the inspection's findings: a verb of feeding back, then counts of them.
_SCOPE_VERB = re.compile(r"反馈|指出|发现|交办|共有|梳理出|认领|涉及")
_INSPECTION = re.compile(r"巡[察视]|反馈")  # the inspection's findings, not the unit's own
_NOT_SCOPE = re.compile(r"查摆|自查|立行立改|信访|线索|上轮|上一轮|回头看|移交的")
_SCOPE_ITEM = re.compile(
    rf"(?P<n>{_NUM})\s*(?P<unit>个方面|方面|大项|小项|个具体问题|项具体问题|条具体问题|个主要问题|个突出问题|个问题|项问题|条问题|"
    rf"项整改任务|项任务|个|项|条)(?P<noun>(?:具体|主要|突出)?问题|整改任务|任务)?"
)
_TASK_BEFORE = re.compile(r"(?:整改任务|问题|任务)(?:共|共计|总计|合计)?\s*$")
_STATUS_CLAUSE_COUNT = re.compile(rf"(?P<n>{_NUM})\s*(?:个|项|条|件)(?!方面|月|工作日)")
_STATUS_KEY = {Status.COMPLETED: "completed", Status.PARTIAL: "partial", Status.IN_PROGRESS: "in_progress"}
_FOLLOW_ON = re.compile(r"^(?:目前|截至|截止|现|至今|其中|已|经|到|通过)")
MAX_AREAS = 20
"""More areas than this in one inspection means digits were lost ("512个方面")."""


def _scope(sentence: str) -> tuple[dict[str, int], int] | None:
    """Area / problem counts of a findings sentence, and where they end in it."""
    verb = _SCOPE_VERB.search(sentence)
    if not verb or not _INSPECTION.search(sentence) or _NOT_SCOPE.search(sentence[: verb.end() + 30]):
        return None
    values: dict[str, int] = {}
    end = 0
    limit = len(sentence)
    for c_start, c_end in clause_spans(sentence):
        clause = sentence[c_start:c_end]
        if c_start > verb.start() and _STATUS_CLAUSE_COUNT.search(clause) and status_of_phrase(clause):
            limit = c_start  # the status counts begin here
            break
    for m in _SCOPE_ITEM.finditer(sentence, 0, limit):
        number = cn_number(m.group("n"))
        if number is None:
            continue
        unit, noun = m.group("unit"), m.group("noun") or ""
        if "方面" in unit or unit == "大项":
            key = "areas"
        elif unit == "小项" or "具体" in unit or "具体" in noun:
            key = "specific_problems"
        elif "问题" in unit or noun or "任务" in unit:
            key = "problems"
        elif "areas" in values or _TASK_BEFORE.search(sentence[: m.start()]):
            key = "problems"  # "反馈问题2个方面11个": the bare count after the areas counts problems
        else:
            if values:
                break
            continue
        if key in values:
            break
        values[key] = number
        end = m.end()
    return (values, end) if values else None


def _statuses(text: str, values: dict[str, int]) -> int:
    """Status counts in `text` (after the scope counts); returns how far they were read."""
    end = 0
    for c_start, c_end in clause_spans(text):
        clause = text[c_start:c_end]
        counts = list(_STATUS_CLAUSE_COUNT.finditer(clause))
        count = counts[-1] if counts else None  # "10个问题中已完成整改8个": the count after the status
        if count is None:
            continue  # "截至2023年12月31日"
        status = status_of_phrase(clause[: count.start()] + clause[count.end() :])
        number = cn_number(count.group("n"))
        if status is None or number is None:
            if end:
                break
            continue
        key = _STATUS_KEY[status]
        if key in values:
            break
        values[key] = number
        end = c_start + count.end()
    return end


def _plausible(values: dict[str, int]) -> bool:
    areas, problems, specific = values.get("areas"), values.get("problems"), values.get("specific_problems")
    if areas is not None and (areas == 0 or areas > MAX_AREAS):
        return False
    if areas is not None and problems is not None and areas > problems:
        return False
    if problems is not None and specific is not None and specific < problems:
        return False
    total = specific if specific is not None else problems
    done = sum(values.get(k, 0) for k in Totals.STATUS_KEYS)
    return total is None or done <= total


def _statements(text: str) -> list[Totals]:
    spans = sentence_spans(text)
    starts = [s for s, _ in spans]
    # only a sentence with a findings verb can state totals: the verbs are found by one search of the
    # text (a verb never spans a sentence end), and only the sentences holding one are read
    holding = sorted({bisect.bisect_right(starts, m.start()) - 1 for m in _SCOPE_VERB.finditer(text)})
    found: list[Totals] = []
    for i in holding:
        if i < 0:
            continue
        start = spans[i][0]
        sentence = text[start : spans[i][1]]
        scope = _scope(sentence)
        if scope is None:
            continue
        values, scope_end = scope
        end = start + scope_end
        read = _statuses(sentence[scope_end:], values)
        if read:
            end = start + scope_end + read
        elif i + 1 < len(spans):
            n_start, n_end = spans[i + 1]
            nxt = text[n_start:n_end]
            if _FOLLOW_ON.match(nxt.strip()):
                read = _statuses(nxt, values)
                if read:
                    end = n_start + read
        first = _SCOPE_VERB.search(sentence)
        at = first.start() if first else 0
        # from the start of the clause that holds the verb: "巡察反馈问题…", not "截至…日，"
        t_start = start + max(sentence.rfind(p, 0, at) for p in "，,：:") + 1
        t_start += len(text[t_start : start + at]) - len(text[t_start : start + at].lstrip())
        if not _plausible(values):
            found.append(Totals(text=text[t_start:end], span=Span(start=t_start, end=end), unreadable=True))
        else:
            found.append(Totals(text=text[t_start:end], span=Span(start=t_start, end=end), **values))
    return found


def parse_totals(text: str) -> Totals | None:
    """The first totals statement; a later one that disagrees on a number is kept in `other_text`."""
    statements = _statements(text)
    if not statements:
        return None
    first = statements[0]
    if not first.unreadable and not set(first.numbers()) & set(Totals.STATUS_KEYS):
        # the preamble gives the scope, the organisational section the progress: take the fuller one
        scope = first.numbers()
        for later in statements[1:]:
            counts = later.numbers()
            if (
                not later.unreadable
                and set(counts) & set(Totals.STATUS_KEYS)
                and all(counts.get(k, v) == v for k, v in scope.items())
            ):
                first = later
                break
    for later in statements[1:]:
        if later.unreadable or first.unreadable:
            continue
        mine, theirs = first.numbers(), later.numbers()
        if any(k in theirs and theirs[k] != v for k, v in mine.items()):
            return first.model_copy(update={"other_text": later.text, "other_span": later.span})
    return first
