"""The Python front door's verbs: read, extract, index, ask, export — each a thin call into its stage."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.models import Extractor

if TYPE_CHECKING:
    from assistant.models import Notice, NoticeResult
    from assistant.pipeline import BatchResult, ProcessedNotice
    from assistant.qa import Answer
    from assistant.store import NoticeStore


def load_notice(path: str | Path) -> Notice:
    """Read, decode and normalise one notice file (.txt .docx .pdf .html, UTF-8 or GBK)."""
    from assistant.ingest import load_notice as load

    return load(path)


def extract(
    source: str | Path, extractor: Extractor = Extractor.RULES, name: str = "notice.txt"
) -> NoticeResult:
    """Records and flags of one notice: a file path, or the notice's text itself."""
    from assistant.pipeline import extract as run

    return run(source, extractor, name)


def extract_files(
    paths: Iterable[str | Path],
    extractor: Extractor = Extractor.RULES,
    on_file: Callable[[Path, ProcessedNotice | None, str | None], None] | None = None,
) -> BatchResult:
    """Every notice in the files and folders given; a bad file is reported in `errors`, never fatal."""
    from assistant.pipeline import collect_files, run_batch

    return run_batch(collect_files(paths), extractor=extractor, on_file=on_file)


def open_store(path: str | Path | None = None) -> NoticeStore:
    """The persistent store (`AUDIT_STORE_DIR` unless a folder is given; a Chroma server if configured)."""
    from assistant.store import NoticeStore

    return NoticeStore.open(path=Path(path) if path else None)


def ask(question: str, store: NoticeStore | None = None, k: int = 5) -> Answer:
    """A cited answer from the store (extractive offline; the configured LLM otherwise)."""
    from assistant.providers.llm import make_caller
    from assistant.qa import answer

    return answer(question, store or open_store(), k=k, llm=make_caller())


def write_results(results: list[NoticeResult], path: str | Path) -> Path:
    """Write results as .csv, .xlsx, .jsonl or .json (by extension), atomically."""
    from assistant.export import write_results as write

    return write(results, path)
