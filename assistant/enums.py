"""The vocabularies every stage shares — status, extractor, evidence type, flag, severity — as plain
enums, apart from the pydantic models: the command line needs them to declare its options, and
`audit --help` should not pay for building every model to print them."""

from __future__ import annotations

from enum import StrEnum


class Status(StrEnum):
    COMPLETED = "完成"
    PARTIAL = "阶段性完成"
    IN_PROGRESS = "推进中"
    UNSTATED = "未说明"


class Extractor(StrEnum):
    """Who read the records: the offline rules, the LLM, or the rules judged by the LLM. A
    flag's `source` is `RULES` or `LLM` (the judge)."""

    RULES = "rules"
    LLM = "llm"
    HYBRID = "hybrid"


class EvidenceType(StrEnum):
    DATE = "date"
    QUANTITY = "quantity"
    MONEY = "money"
    DOCUMENT = "document"
    PERSONNEL_ACTION = "personnel_action"
    PHYSICAL_CHANGE = "physical_change"


class FlagCode(StrEnum):
    VAGUE_COMPLETION = "vague_completion"
    GENERIC_ONLY = "generic_only"
    STUDY_ONLY = "study_only"
    FUTURE_TENSE_COMPLETION = "future_tense_completion"
    TOTALS_MISMATCH = "totals_mismatch"
    TOTALS_UNREADABLE = "totals_unreadable"  # notice level: the totals sentence's numbers were garbled
    NO_RECORDS = "no_records"  # notice level: nothing found, and the reason says what was seen
    TRUNCATED = "truncated"  # notice level: the text ends inside a record
    LLM_DISAGREES = "llm_disagrees"  # the LLM judge disputes a rules flag (kept, not hidden)


class Severity(StrEnum):
    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


SEVERITY_RANK = {Severity.HIGH: 0, Severity.MEDIUM: 1, Severity.LOW: 2}


class AlignmentStatus(StrEnum):
    """How a value a model returned was found again in the notice."""

    EXACT = "exact"
    NORMALISED = "normalised"  # equal once whitespace, punctuation and width are ignored
    FUZZY = "fuzzy"
    UNALIGNED = "unaligned"


class SectionKind(StrEnum):
    PREAMBLE = "preamble"
    ORGANISATIONAL = "organisational"
    RECORDS = "records"
    CLOSING = "closing"
    CONTACT = "contact"
