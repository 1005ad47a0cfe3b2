"""Record extractors. The rules extractor is the offline default; others register by name."""

from __future__ import annotations

import sys
import types
from collections.abc import Callable
from pathlib import Path

from assistant.extract.rules import extract_rules
from assistant.models import Extractor, Flag, Notice, NoticeResult, Outline, Record

ExtractorFn = Callable[..., list[Record]]  # (notice, outline, flagger=None) -> records
Flagger = Callable[[Record], list[Flag]]


def _rules(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    return extract_rules(notice, outline)  # the pipeline flags its records afterwards


def _llm(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    from assistant.extract.llm import extract_llm  # langchain/openai only when asked for

    return extract_llm(notice, outline, flagger)


def _hybrid(notice: Notice, outline: Outline, flagger: Flagger | None = None) -> list[Record]:
    from assistant.extract.llm import extract_hybrid

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


class _CallableModule(types.ModuleType):
    """`assistant.extract` is both this stage and the front door's verb `au.extract(path_or_text)`.

    Importing the stage sets `assistant.extract` to this module, shadowing the verb; calling the
    module calls the verb, so `import assistant as au; au.extract(...)` works either way.
    """

    def __call__(
        self, source: str | Path, extractor: Extractor = Extractor.RULES, name: str = "notice.txt"
    ) -> NoticeResult:
        from assistant.pipeline import extract

        return extract(source, extractor, name)


sys.modules[__name__].__class__ = _CallableModule
