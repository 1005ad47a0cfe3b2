"""Citation markers: parse [n] in an answer and check each against the passages it was given.

A model that cites [7] when it saw five passages is inventing a source; such an answer is
marked invalid and never shown as grounded.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from pydantic import BaseModel

from assistant.qa.models import Citation

if TYPE_CHECKING:
    from assistant.store import Hit

# [1]  [1,2]  [1、3]  ［2］  【3】 — models write all of these
# "[13]号文件" (001) is a document number, not a citation
_MARKER = re.compile(r"[\[［【]\s*(\d{1,3}(?:\s*[,，、;；]\s*\d{1,3})*)\s*[\]］】](?!\s*号)")
_SPLIT = re.compile(r"[,，、;；]")


class CitationCheck(BaseModel):
    cited: list[int]  # every distinct n, in order of first appearance
    valid: list[int]
    invalid: list[int]

    @property
    def grounded(self) -> bool:
        """Grounded: cites at least one given passage and nothing it was not given."""
        return bool(self.valid) and not self.invalid


def parse_citations(text: str) -> list[int]:
    """Distinct citation numbers in order of first appearance."""
    seen: list[int] = []
    for m in _MARKER.finditer(text):
        for part in _SPLIT.split(m.group(1)):
            n = int(part.strip())
            if n not in seen:
                seen.append(n)
    return seen


def check_citations(text: str, n_passages: int) -> CitationCheck:
    """Which cited numbers point to one of the `n_passages` passages numbered 1…n."""
    cited = parse_citations(text)
    valid = [n for n in cited if 1 <= n <= n_passages]
    invalid = [n for n in cited if not 1 <= n <= n_passages]
    return CitationCheck(cited=cited, valid=valid, invalid=invalid)


def normalise_markers(text: str) -> str:
    """Rewrite ［1］, 【1】 and [1,2] as [1] and [1][2], the one form the UI links."""

    def sub(m: re.Match[str]) -> str:
        return "".join(f"[{int(p.strip())}]" for p in _SPLIT.split(m.group(1)))

    return _MARKER.sub(sub, text)


def escape_brackets(text: str) -> str:
    """Notice text shown beside [n] markers: its own square brackets become 〔〕 (as in 文号)."""
    return text.replace("[", "〔").replace("]", "〕").replace("［", "〔").replace("］", "〕")


def passage_from_hit(n: int, hit: Hit) -> Citation:
    """The numbered passage for a retrieved chunk: its body and where it sits in the notice."""
    chunk = hit.chunk
    return Citation(
        n=n,
        chunk_id=chunk.chunk_id,
        notice_id=chunk.notice_id,
        source_name=chunk.source_name,
        record_id=chunk.record_id,
        outline_path=list(chunk.outline_path),
        span=chunk.span,
        passage=chunk.text[chunk.body_offset :],
    )


def passages_from_hits(hits: Sequence[Hit]) -> list[Citation]:
    return [passage_from_hit(i, hit) for i, hit in enumerate(hits, start=1)]
