"""Record extractors. The rules extractor is the offline default; others register by name."""

from __future__ import annotations

from collections.abc import Callable

from assistant.extract.rules import extract_rules, record_nodes
from assistant.models import Notice, Outline, Record

Extractor = Callable[[Notice, Outline], list[Record]]

EXTRACTORS: dict[str, Extractor] = {"rules": extract_rules}


def extract_records(notice: Notice, outline: Outline, extractor: str = "rules") -> list[Record]:
    try:
        fn = EXTRACTORS[extractor]
    except KeyError:
        raise ValueError(f"未知的抽取方式：{extractor}（可选：{'、'.join(EXTRACTORS)}）") from None
    return fn(notice, outline)


__all__ = ["EXTRACTORS", "extract_records", "extract_rules", "record_nodes"]
