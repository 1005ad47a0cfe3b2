"""Pydantic models: the contract between pipeline stages (DESIGN.md, "The record").

Every text value that comes from a notice carries a `Span` into the notice's normalised
text, so a reader (or a verifier) can always go back to the words it was read from.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, overload

from pydantic import BaseModel, ConfigDict, Field, ValidationInfo, field_validator
from pydantic_core import core_schema

from assistant.enums import (  # noqa: F401  (re-exported: models is where callers find them)
    SEVERITY_RANK,
    AlignmentStatus,
    EvidenceType,
    Extractor,
    FlagCode,
    SectionKind,
    Severity,
    Status,
)

if TYPE_CHECKING:
    import numpy as np
    from pydantic import GetCoreSchemaHandler


# ---- pickling: how results cross from a pool's workers to the process that writes them ----------
# pydantic pickles a model as its class plus a state dict that `__setstate__` (Python) unpacks; for
# the few hundred small models of one notice that costs more than extracting them. `_Model` pickles
# as one call of `_rebuild` with the field values as they are (already validated when the model was
# made), and the set of fields given shared between equal sets, so the reader builds each model
# with four attribute stores and no validation. The round trip is exact (`==` on every field).

_object_setattr = object.__setattr__
_FIELD_SETS: dict[frozenset[str], frozenset[str]] = {}


def _rebuild(cls: type[BaseModel], values: dict[str, Any], fields_set: frozenset[str]) -> BaseModel:
    obj = cls.__new__(cls)
    _object_setattr(obj, "__dict__", values)
    _object_setattr(obj, "__pydantic_fields_set__", set(fields_set))
    _object_setattr(obj, "__pydantic_extra__", None)
    _object_setattr(obj, "__pydantic_private__", None)
    return obj


class _Model(BaseModel):
    """The models of this module: plain pydantic models that pickle cheaply (see above)."""

    def __reduce__(self) -> tuple[Any, ...]:
        fields = frozenset(self.__pydantic_fields_set__)
        fields = _FIELD_SETS.setdefault(fields, fields)  # one object per distinct set: pickled once
        return _rebuild, (type(self), self.__dict__, fields)


class Span(_Model):
    """Half-open character interval `[start, end)` in the normalised notice text."""

    model_config = ConfigDict(frozen=True)

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    # A check on `end` once `start` is read, not a model validator: pydantic runs a model's after-
    # validator again each time the span is passed to another model, a field validator only when
    # the span is made (from arguments, a dict or JSON).
    @field_validator("end")
    @classmethod
    def _ordered(cls, end: int, info: ValidationInfo) -> int:
        start = info.data.get("start")
        if start is not None and end < start:
            raise ValueError(f"span end {end} before start {start}")
        return end

    def slice(self, text: str) -> str:
        return text[self.start : self.end]

    def __len__(self) -> int:
        return self.end - self.start


class Evidence(_Model):
    """A concrete, checkable specific found inside a measure."""

    type: EvidenceType
    text: str
    span: Span


class Alignment(_Model):
    """Kept on every value a model supplied, so a reader can tell a verbatim quote from a fuzzy
    match. Values the rules read straight from the notice carry none."""

    status: AlignmentStatus
    score: float  # share of the value's characters matched (1.0 unless fuzzy)


class Measure(_Model):
    text: str
    span: Span
    evidence: list[Evidence] = Field(default_factory=list)
    alignment: Alignment | None = None

    @property
    def concrete(self) -> bool:
        return bool(self.evidence)


class Flag(_Model):
    code: FlagCode
    severity: Severity
    reason: str
    spans: list[Span] = Field(default_factory=list)
    source: Extractor = Extractor.RULES


class Judgement(_Model):
    """A second opinion on a completion claim (from the LLM), kept beside the rules' flags.

    `agrees_with_rules` is False when the verdict differs from the rules' `vague_completion`;
    the disagreement is then also shown as a flag with `source` set to the judge.
    """

    source: Extractor = Extractor.LLM
    model: str | None = None
    prompt: str | None = None  # prompt name and version, e.g. "judge_vague.v1"
    vague: bool
    reason: str  # Chinese, for the reader
    spans: list[Span] = Field(default_factory=list)  # the specifics the verdict rests on
    rules_vague: bool
    agrees_with_rules: bool


class Record(_Model):
    """One rectified problem: the lowest numbered item that has its own rectification text."""

    notice_id: str
    record_id: str
    category: str | None = None
    parent_problem: str | None = None
    problem: str
    problem_span: Span
    problem_alignment: Alignment | None = None
    problem_detail: str | None = None  # the explanation after a quoted headline (`关于“标题。说明”问题`)
    problem_detail_span: Span | None = None
    status: Status = Status.UNSTATED
    status_text: str | None = None
    status_span: Span | None = None
    status_alignment: Alignment | None = None
    measures: list[Measure] = Field(default_factory=list)
    deadline: str | None = None
    deadline_span: Span | None = None
    deadline_alignment: Alignment | None = None
    flags: list[Flag] = Field(default_factory=list)
    source_span: Span
    outline_path: list[str] = Field(default_factory=list)
    outline_labels: list[str] = Field(
        default_factory=list
    )  # the numbering of each level: ["二、", "(三)", "3."]
    truncated: bool = False  # the notice's text ends inside this record (a web excerpt, a cut PDF)
    extractor: Extractor = Extractor.RULES
    errors: list[str] = Field(default_factory=list)
    judgement: Judgement | None = None
    unaligned: list[str] = Field(default_factory=list)  # LLM values not found in the source, dropped

    @property
    def evidence(self) -> list[Evidence]:
        return [e for m in self.measures for e in m.evidence]

    @property
    def concrete(self) -> bool:
        return any(m.concrete for m in self.measures)

    @property
    def flag_codes(self) -> list[FlagCode]:
        return [f.code for f in self.flags]


class TotalsCounts(_Model):
    """The counts a totals statement can give; None where it gives none."""

    areas: int | None = None
    problems: int | None = None
    specific_problems: int | None = None
    completed: int | None = None
    partial: int | None = None
    in_progress: int | None = None
    unreadable: bool = False  # the sentence is there but its numbers were garbled in publishing

    SCOPE_KEYS: ClassVar[tuple[str, ...]] = ("areas", "problems", "specific_problems")
    STATUS_KEYS: ClassVar[tuple[str, ...]] = ("completed", "partial", "in_progress")

    def numbers(self) -> dict[str, int]:
        """The counts given, by name, in a fixed order."""
        return {k: v for k in (*self.SCOPE_KEYS, *self.STATUS_KEYS) if (v := getattr(self, k)) is not None}


class Totals(TotalsCounts):
    """The summary sentence's claimed numbers ("9个具体问题,整改完成8个,阶段性完成1个")."""

    text: str
    span: Span
    other_text: str | None = None  # a second totals statement that disagrees with this one
    other_span: Span | None = None

    @property
    def record_total(self) -> int | None:
        """The number of records the notice claims: the most specific count it gives."""
        for value in (self.specific_problems, self.problems):
            if value is not None:
                return value
        parts = [v for v in (self.completed, self.partial, self.in_progress) if v is not None]
        return sum(parts) if parts else None


class NoticeMeta(_Model):
    organisation: str | None = None
    title: str | None = None
    published: dt.date | None = None
    published_text: str | None = None
    date_note: str | None = None
    inspection_group: str | None = None
    inspected_unit: str | None = None
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    period_text: str | None = None
    feedback_date: dt.date | None = None
    feedback_text: str | None = None
    totals: Totals | None = None


# ---- the map from a normalised notice back to its original text, stored as runs ----------------
# Normalisation only deletes characters or replaces one by one, so the map is strictly increasing
# and made of long runs where both sides advance together. One (start, origin) pair per run instead
# of one Python int per character makes a 15,000-character notice's map a few hundred numbers.


class OffsetMap(Sequence[int]):
    """`offsets[i]`: the index in the original of normalised character `i` (and one entry past the end).

    Read like the list it replaces (index, slice, iterate, len, ==); serialised as its runs.
    """

    __slots__ = ("_length", "_origins", "_starts")

    def __init__(self, starts: Sequence[int], origins: Sequence[int], length: int) -> None:
        self._starts = list(starts)  # normalised index where each run begins (the first is 0)
        self._origins = list(origins)  # original index of that first character
        self._length = length

    @classmethod
    def from_array(cls, values: np.ndarray) -> OffsetMap:
        import numpy as np

        if not len(values):
            return cls([], [], 0)
        breaks = np.flatnonzero(np.diff(values) != 1) + 1
        starts = np.concatenate(([0], breaks))
        return cls(starts.tolist(), values[starts].tolist(), len(values))

    @classmethod
    def from_list(cls, values: Sequence[int]) -> OffsetMap:
        import numpy as np

        return cls.from_array(np.asarray(values, dtype=np.int64))

    def __len__(self) -> int:
        return self._length

    @overload
    def __getitem__(self, i: int) -> int: ...
    @overload
    def __getitem__(self, i: slice) -> list[int]: ...
    def __getitem__(self, i: int | slice) -> int | list[int]:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(self._length))]
        if i < 0:
            i += self._length
        if not 0 <= i < self._length:
            raise IndexError("offset index out of range")
        run = bisect.bisect_right(self._starts, i) - 1
        return self._origins[run] + (i - self._starts[run])

    def __iter__(self) -> Iterator[int]:
        ends = [*self._starts[1:], self._length]
        for start, end, origin in zip(self._starts, ends, self._origins, strict=True):
            yield from range(origin, origin + end - start)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, OffsetMap):
            return (self._starts, self._origins, self._length) == (
                other._starts,
                other._origins,
                other._length,
            )
        if isinstance(other, list):
            return list(self) == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((tuple(self._starts), tuple(self._origins), self._length))

    def __repr__(self) -> str:
        return f"OffsetMap({len(self._starts)} runs, {self._length} entries)"

    def to_json(self) -> dict[str, Any]:
        return {"starts": self._starts, "origins": self._origins, "length": self._length}

    @classmethod
    def _validate(cls, value: object) -> OffsetMap:
        if isinstance(value, OffsetMap):
            return value
        if isinstance(value, dict):  # the stored form
            starts, origins, length = value["starts"], value["origins"], value["length"]
            if len(starts) != len(origins) or any(
                not isinstance(v, int) for v in [*starts, *origins, length]
            ):
                raise ValueError("offset map runs must be integers, as many starts as origins")
            return cls(starts, origins, length)
        if isinstance(value, list | tuple):  # one entry per character, as earlier versions stored it
            if any(not isinstance(v, int) for v in value):
                raise ValueError("offsets must be integers")
            return cls.from_list(value)
        raise ValueError("offsets: expected runs or a list of integers")

    @classmethod
    def __get_pydantic_core_schema__(
        cls, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(
            cls._validate, serialization=core_schema.plain_serializer_function_ser_schema(cls.to_json)
        )


class Notice(_Model):
    """A loaded, normalised notice.

    `offsets[i]` is the index in `original` of normalised character `i`; the extra last entry
    maps the end of the text, so any normalised span maps back with `original_span`.
    """

    notice_id: str
    source_name: str
    source_path: str | None = None
    format: str
    encoding: str | None = None
    original: str
    text: str
    offsets: OffsetMap  # runs, read like a list of ints (OffsetMap above)
    meta: NoticeMeta = Field(default_factory=NoticeMeta)

    def original_span(self, span: Span) -> Span:
        start = self.offsets[span.start]
        end = self.offsets[span.end - 1] + 1 if span.end > span.start else start
        return Span(start=start, end=end)

    @property
    def stem(self) -> str:
        name = self.source_name
        return name.rsplit(".", 1)[0] if "." in name else name


class OutlineNode(_Model):
    """One numbered heading and the text it governs."""

    label: str  # the numbering as written: "（一）", "1.", "3)"
    style: str  # style key: "cn_dun", "paren_cn", "arabic_dot", ...
    level: int  # 1 = top level in this notice
    title: str  # heading text with numbering stripped
    title_span: Span
    span: Span  # heading through the end of its last descendant
    kind: SectionKind = SectionKind.RECORDS
    children: list[OutlineNode] = Field(default_factory=list)

    def walk(self) -> list[OutlineNode]:
        out = [self]
        for child in self.children:
            out.extend(child.walk())
        return out


class Outline(_Model):
    styles: list[str]  # style keys in level order for this notice
    nodes: list[OutlineNode]  # top-level nodes

    def walk(self) -> list[OutlineNode]:
        out: list[OutlineNode] = []
        for node in self.nodes:
            out.extend(node.walk())
        return out


class NoticeResult(_Model):
    """Everything one notice yields: its metadata, records and notice-level flags."""

    notice_id: str
    source_name: str
    meta: NoticeMeta
    records: list[Record] = Field(default_factory=list)
    flags: list[Flag] = Field(default_factory=list)
    errors: list[str] = Field(default_factory=list)
    extractor: Extractor = Extractor.RULES


class ProcessedNotice(_Model):
    """A loaded notice with its outline and what was extracted from it: what the store receives."""

    notice: Notice
    result: NoticeResult
    outline: Outline | None = None  # None when the notice has no numbering at all
