"""Outline parser: Chinese numbering levels → a tree of sections with kinds and spans."""

from assistant.outline.numbering import Numbering, read_numbering
from assistant.outline.parser import OutlineError, parse_outline

__all__ = ["Numbering", "OutlineError", "parse_outline", "read_numbering"]
