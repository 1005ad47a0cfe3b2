"""Record extractors. The rules extractor is the offline default; others register by name."""

from __future__ import annotations

from collections.abc import Callable

from assistant.extraction.rules import extract_rules
from assistant.models import Extractor, Flag, Notice, Outline, Record

ExtractorFn = Callable[..., list[Record]]  # (notice, outline, flagger=None) -> records
Flagger = Callable[[Record], list[Flag]]


def _rules(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    return extract_rules(notice, outline)  # the pipeline flags its records afterwards


def _llm(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    from assistant.extraction.llm import extract_llm  # langchain/openai only when asked for

    return extract_llm(notice, outline, flagger)


def _hybrid(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    from assistant.extraction.llm import extract_hybrid

    return extract_hybrid(notice, outline, flagger)


EXTRACTORS: dict[Extractor, ExtractorFn] = {
    Extractor.RULES: _rules,
    Extractor.LLM: _llm,
    Extractor.HYBRID: _hybrid,
}


def extract_records(
    notice: Notice, outline: Outline, extractor: Extractor = Extractor.RULES, flagger: Flagger | None = None
) -> list[Record]:
    """`flagger` gives a record's rules flags to extractors that judge them (the LLM's judge)."""
    try:
        fn = EXTRACTORS[Extractor(extractor)]
    except ValueError:
        raise ValueError(f"未知的抽取方式：{extractor}（可选：{'、'.join(EXTRACTORS)}）") from None
    return fn(notice, outline, flagger)


__all__ = ["EXTRACTORS", "extract_records", "extract_rules"]
