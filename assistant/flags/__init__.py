"""Flags, shared by every extractor (the evidence they rest on is found by `assistant.evidence`)."""

from assistant.evidence import find_evidence
from assistant.flags.rules import flag_notice, flag_record, flag_records

__all__ = ["find_evidence", "flag_notice", "flag_record", "flag_records"]
