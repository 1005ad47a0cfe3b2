"""Evidence and flags, shared by every extractor."""

from assistant.flags.evidence import find_evidence
from assistant.flags.rules import flag_notice, flag_record, flag_records

__all__ = ["find_evidence", "flag_notice", "flag_record", "flag_records"]
