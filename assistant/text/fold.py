"""Width and case folding: the one comparable form of a text.

NFKC maps full-width digits and letters, compatibility ideographs and ligatures to their plain
forms; case folding makes "ETC" and "etc" one word. Matching (tokens, alignment, review keys,
embeddings) uses `fold`; evaluation, which must not merge letter case, uses `width_fold`.
"""

from __future__ import annotations

import unicodedata


def width_fold(text: str) -> str:
    """NFKC only: full-width and compatibility forms folded, case kept."""
    return unicodedata.normalize("NFKC", text)


def fold(text: str) -> str:
    """NFKC and case-folded: the form two texts are compared in."""
    return unicodedata.normalize("NFKC", text).casefold()
