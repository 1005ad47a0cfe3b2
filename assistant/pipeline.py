"""The application layer: the data flow of DESIGN.md for one notice (file → notice → outline →
records → flags), and the one loop over many files — in order, in a pool for large inputs, each
bad file reported and the rest completed — used by the CLI, the app, the API and the evaluation."""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, Field

from assistant.ingest.loaders import SUPPORTED_SUFFIXES
from assistant.models import Extractor, Notice, NoticeResult, Outline, ProcessedNotice
from assistant.store.models import AddResult

if TYPE_CHECKING:
    from assistant.store import NoticeStore
    from assistant.store.prepare import PreparedNotice


__all__ = [
    "BatchResult",
    "FileError",
    "IndexReport",
    "ProcessedNotice",
    "collect_files",
    "default_workers",
    "extract",
    "index_files",
    "iter_files",
    "process",
    "process_file",
    "process_notice",
    "run_batch",
]


def process(notice: Notice, extractor: Extractor = Extractor.RULES) -> ProcessedNotice:
    """Outline, records and flags of an already loaded notice, the outline kept for chunking."""
    from assistant.extraction import extract_records
    from assistant.flags import flag_notice, flag_record, flag_records
    from assistant.outline import OutlineError, parse_outline
    from assistant.outline.roles import describe_absence

    try:
        outline = parse_outline(notice.text)
    except OutlineError:
        outline = None
    # with no outline the rules find nothing, but an LLM extractor may still segment the text
    records = extract_records(notice, outline or Outline(styles=[], nodes=[]), extractor, flag_record)
    records = flag_records(records, notice.text)
    absence = describe_absence(notice.text, outline) if not records else None
    result = NoticeResult(
        notice_id=notice.notice_id,
        source_name=notice.source_name,
        meta=notice.meta,
        records=records,
        flags=flag_notice(notice.meta, records, absence),
        extractor=extractor,
    )
    return ProcessedNotice(notice=notice, result=result, outline=outline)


def process_notice(notice: Notice, extractor: Extractor = Extractor.RULES) -> NoticeResult:
    """Extract and flag the records of an already loaded notice."""
    return process(notice, extractor).result


def process_file(path: str | Path, extractor: Extractor = Extractor.RULES) -> ProcessedNotice:
    from assistant.ingest import load_notice

    return process(load_notice(path), extractor)


def extract(
    source: str | Path, extractor: Extractor = Extractor.RULES, name: str = "notice.txt"
) -> NoticeResult:
    """Records and flags of one notice: a file path, or the notice's text itself."""
    from assistant.ingest import notice_from_text

    if isinstance(source, Path) or (len(source) < 4096 and "\n" not in source and Path(source).is_file()):
        return process_file(source, extractor).result
    return process_notice(notice_from_text(source, name), extractor)


class FileError(BaseModel):
    path: str
    error: str


class BatchResult(BaseModel):
    processed: list[ProcessedNotice] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)

    @property
    def results(self) -> list[NoticeResult]:
        return [p.result for p in self.processed]


def collect_files(paths: Iterable[str | Path]) -> list[Path]:
    """Files named directly, and the supported files inside named folders (sorted, recursive)."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES)
            )
        else:
            out.append(path)
    return list(dict.fromkeys(out))


Done = tuple[Any, "str | None"]  # (the processed notice, or what `finish` made of it, or None; the error)


@dataclass(frozen=True)
class _Prepare:
    """For indexing: prepare each notice for the store where it was processed (chunks, keyword
    terms, vectors with `embeddings`, rows serialised), so the one process that writes does not."""

    embeddings: object | None = None

    def __call__(self, processed: ProcessedNotice) -> PreparedNotice:
        from assistant.store.prepare import prepare as prepare_notice

        return prepare_notice(processed, self.embeddings)  # type: ignore[arg-type]


Finish = Callable[[ProcessedNotice], Any]
"""A step run on each notice where it was processed (in a pool: in the worker), whose value is
handed on instead of the notice: what the one writing process needs, already made (store rows, export
lines), so it neither rebuilds every model from the worker's reply nor serialises them itself. In a
pool it must pickle (a module-level function, a `functools.partial` of one, or a small dataclass)."""


def _process(path: Path, extractor: Extractor, finish: Finish | None = None) -> Done:
    """One file through the pipeline, then `finish` (where the notice was processed)."""
    try:
        processed = process_file(path, extractor=extractor)
    except Exception as exc:  # every failure is reported per file, never fatal to the batch
        return None, str(exc) or type(exc).__name__
    if finish is None:
        return processed, None
    try:
        return finish(processed), None
    except Exception as exc:
        return None, str(exc) or type(exc).__name__


def _process_chunk(paths: list[Path], extractor: Extractor, finish: Finish | None = None) -> list[Done]:
    """A few files in one task: one round trip to the worker for all of them."""
    return [_process(path, extractor, finish) for path in paths]


def _warm_worker() -> None:
    """A new worker runs one sample notice through the rules before its first file: the patterns
    compile, the script converter loads and the caches fill once, not inside someone's first file.
    What that leaves in memory is then frozen out of the garbage collector's scans (it lives as long
    as the worker), so collections during the run only look at the notices' own objects."""
    import gc

    from assistant.paths import examples_dir

    try:
        sample = next(iter(sorted(examples_dir().glob("*.txt"))), None)
        if sample is not None:
            process_file(sample)
    except Exception:  # warming is an optimisation: a worker that cannot warm still works
        pass
    gc.collect()
    gc.freeze()


Outcome = tuple[Path, ProcessedNotice | None, str | None]
OnFile = Callable[[Path, ProcessedNotice | None, str | None], None]

CPU_BOUND = (Extractor.RULES,)
"""Extractors whose time is spent computing (processes); the others wait on an endpoint (threads)."""
POOL_MIN_FILES = 16
"""Fewer files than this run in one process: starting the workers would cost more than it saves."""
AHEAD_PER_WORKER = 4
"""Tasks in flight per worker: enough to keep every core busy, few enough that nothing piles up."""
MAX_CHUNK = 8
"""Files per task at most: a task's round trip (pickling the paths, waking the worker, the reply) is paid
once for the chunk; small enough that the window of files in flight stays a few dozen notices."""


def default_workers(extractor: Extractor = Extractor.RULES) -> int:
    """All cores for the rules (CPU-bound); the LLM's concurrency for the LLM extractors (waiting)."""
    if extractor not in CPU_BOUND:
        from assistant.settings import get_settings

        return max(1, get_settings().concurrency)
    return os.cpu_count() or 1


def _executor(extractor: Extractor, workers: int) -> Executor:
    """Processes for the rules (the GIL would serialise them), threads for the LLM extractors.

    Workers come from a fork server (a clean process that imported the pipeline once), never a fork
    of this process, which may hold the store's threads and locks; each is warmed before its first file.
    """
    if extractor not in CPU_BOUND:
        return ThreadPoolExecutor(max_workers=workers, thread_name_prefix="batch")
    methods = multiprocessing.get_all_start_methods()
    context = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
    if context.get_start_method() == "forkserver":
        context.set_forkserver_preload(
            [
                "assistant.pipeline",
                "assistant.ingest",
                "assistant.extraction",
                "assistant.store.prepare",
                "assistant.export.pieces",
            ]
        )
    return ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_warm_worker)


def _chunk_size(files: int, workers: int, extractor: Extractor) -> int:
    """Files per task: one for the LLM extractors (threads, no round trip to save) and small batches;
    for many files as many as keeps every worker at least a few tasks deep, at most `MAX_CHUNK`."""
    if extractor not in CPU_BOUND:
        return 1
    return max(1, min(MAX_CHUNK, files // (workers * AHEAD_PER_WORKER * 2)))


def _outcomes(paths: list[Path], future: Future[list[Done]]) -> list[tuple[Path, Any, str | None]]:
    try:
        done = future.result()
    except Exception as exc:  # a worker died (out of memory, killed): its files fail, the rest go on
        error = f"处理进程异常退出（{type(exc).__name__}），请单独重试该文件"
        return [(path, None, error) for path in paths]
    return [(path, *one) for path, one in zip(paths, done, strict=True)]


def iter_files(
    files: list[Path], extractor: Extractor = Extractor.RULES, workers: int = 1, finish: Finish | None = None
) -> Iterator[Outcome]:
    """The one loop over files: (path, processed or None, error or None) for each, in the files' order.

    With `workers` > 1 and enough files, notices are processed in a pool (processes for the rules,
    threads for the LLM extractors, whose requests in flight stay bounded by the shared LLM caller).
    Only a bounded window of files is in flight, and each result is yielded as soon as it and all
    before it are done, so a caller that streams its output never holds every notice. With `finish`,
    each notice's place in the tuple holds what `finish` made of it instead (see `Finish`).
    """
    yield from _iter(files, extractor, workers, finish)


def _iter(
    files: list[Path], extractor: Extractor, workers: int, finish: Finish | None = None
) -> Iterator[tuple[Path, Any, str | None]]:
    if workers <= 1 or len(files) <= 1 or (extractor in CPU_BOUND and len(files) < POOL_MIN_FILES):
        for path in files:
            yield (path, *_process(path, extractor, finish))
        return
    size = _chunk_size(len(files), workers, extractor)
    with _executor(extractor, workers) as pool:
        pending: deque[tuple[list[Path], Future[list[Done]]]] = deque()
        for at in range(0, len(files), size):
            chunk = files[at : at + size]
            pending.append((chunk, pool.submit(_process_chunk, chunk, extractor, finish)))
            if len(pending) >= workers * AHEAD_PER_WORKER:
                yield from _outcomes(*pending.popleft())
        while pending:
            yield from _outcomes(*pending.popleft())


def run_batch(
    files: list[Path], extractor: Extractor = Extractor.RULES, on_file: OnFile | None = None, workers: int = 1
) -> BatchResult:
    """Process every file; errors are kept per file with a readable message, results in file order."""
    batch = BatchResult()
    for path, processed, error in iter_files(files, extractor, workers):
        if on_file:
            on_file(path, processed, error)
        if processed is not None:
            batch.processed.append(processed)
        else:
            batch.errors.append(FileError(path=str(path), error=error or "未知错误"))
    return batch


class IndexReport(BaseModel):
    added: list[AddResult] = Field(default_factory=list)
    errors: list[FileError] = Field(default_factory=list)


WRITE_BATCH = 32
"""Notices per insert into the store: one transaction each (an interrupted run keeps every batch it
committed; a re-run skips those notices)."""


def index_files(
    paths: Iterable[str | Path],
    store: NoticeStore,
    extractor: Extractor = Extractor.RULES,
    on_file: Callable[[Path, AddResult | None, str | None], None] | None = None,
    workers: int = 1,
) -> IndexReport:
    """Extract (in a pool with `workers` > 1), prepare for the store where extracted (chunks, keyword
    terms, offline vectors, rows), and write in batches, in file order; one bad file never stops the
    rest."""
    from assistant.store.prepare import local_embeddings

    report = IndexReport()
    prepare = _Prepare(embeddings=local_embeddings(store.vectors.embeddings))
    batch: list[tuple[Path, PreparedNotice]] = []

    def report_one(path: Path, added: AddResult | None, error: str | None) -> None:
        if added is not None:
            report.added.append(added)
        else:
            report.errors.append(FileError(path=str(path), error=error or "未知错误"))
        if on_file:
            on_file(path, added, error)

    def write() -> None:
        if not batch:
            return
        items = [p for _, p in batch]
        try:
            outcomes: list[AddResult | Exception] = list(store.add_prepared(items))
        except Exception as exc:
            if getattr(exc, "stops_batch", False) or len(items) == 1:
                if getattr(exc, "stops_batch", False):
                    raise  # a full disk or a damaged store: every next file would fail too
                outcomes = [exc]
            else:
                outcomes = []  # one at a time, so the bad file is the only one reported
                for item in items:
                    try:
                        outcomes.extend(store.add_prepared([item]))
                    except Exception as one:
                        if getattr(one, "stops_batch", False):
                            raise
                        outcomes.append(one)
        for (path, _), outcome in zip(batch, outcomes, strict=True):
            if isinstance(outcome, Exception):
                report_one(path, None, str(outcome) or type(outcome).__name__)
            else:
                report_one(path, outcome, None)
        batch.clear()

    with store.bulk():
        for path, prepared, error in _iter(collect_files(paths), extractor, workers, prepare):
            if prepared is None:
                write()  # the files before it first: reports stay in file order
                report_one(path, None, error)
                continue
            batch.append((path, prepared))
            if len(batch) >= WRITE_BATCH:
                write()
        write()
    return report
