"""What a bulk command needs around the LLM extractors: a clear stop when none is configured,
and the token/cost line at the end of the run."""

from __future__ import annotations

import typer
from rich.console import Console

from assistant.enums import Extractor

LLM_EXTRACTORS = (Extractor.LLM, Extractor.HYBRID)


def require_llm(extractor: Extractor, console: Console) -> None:
    """Stop before the run (exit 2) when an LLM extractor is asked for and no endpoint is set."""
    if extractor not in LLM_EXTRACTORS:
        return
    from assistant.extraction.llm import NOT_CONFIGURED
    from assistant.settings import get_settings

    if not get_settings().llm_configured:
        console.print(f"[red]{NOT_CONFIGURED}[/red]")
        raise typer.Exit(2)


def print_llm_usage(extractor: Extractor, console: Console) -> None:
    """Requests, cache hits, tokens and cost of this run's LLM extractors."""
    if extractor not in LLM_EXTRACTORS:
        return
    from assistant.extraction.llm import run_usage

    usage = run_usage()
    if usage is not None:
        from assistant.settings import get_settings

        console.print(usage.summary(get_settings()))
