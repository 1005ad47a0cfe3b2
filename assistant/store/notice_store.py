"""NoticeStore: the persistent home of processed notices — vectors in Chroma, everything else in the
database (SQLite or PostgreSQL), a keyword index cached per machine — with hybrid search fused by
reciprocal rank.

Writers hold the store's writer lock (one at a time, across processes and machines); every write
goes to the database's change log, and each process replays changes it has not seen before it
reads, so two app processes, two indexers or two machines never act on a stale view.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import threading
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any

from filelock import FileLock
from pydantic import TypeAdapter
from sqlalchemy import delete, func, insert, or_, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError, OperationalError
from sqlalchemy.orm import Session, load_only

from assistant.chunking import Chunk, ChunkKind, chunk_notice
from assistant.models import Notice, NoticeMeta, NoticeResult, Outline, ProcessedNotice, Record
from assistant.providers.embeddings import Embeddings, make_embeddings
from assistant.settings import Settings, get_settings
from assistant.store.bm25 import BM25Index
from assistant.store.database import (
    DATABASE_FILE,
    ChangeRow,
    ChunkRow,
    Database,
    NoticeRow,
    RecordRow,
    database_url,
    display_url,
)
from assistant.store.errors import StoreDamagedError, StoreUnavailableError, damaged_message, guard_writes
from assistant.store.fusion import reciprocal_rank_fusion
from assistant.store.legacy import migrate_json_store
from assistant.store.locks import LOCK_FILE, WriterLock
from assistant.store.maintenance import (
    CheckReport,
    RebuildReport,
    rebuild_tables,
    salvage_sqlite,
    sqlite_readable,
)
from assistant.store.maintenance import check as check_store
from assistant.store.models import AddResult, Hit, NoticeHead, SearchFilters, StoredNotice, StoreStats
from assistant.store.prepare import PreparedNotice
from assistant.store.rows import chunk_row, record_rows
from assistant.store.values import notice_columns
from assistant.store.vectors import UPSERT_BATCH, VectorIndex, open_client, reopen_local

CANDIDATES = 50  # per ranking, before fusion
SECTION_WEIGHT = 0.9  # questions are about records: a section must beat a record clearly to outrank it
FLUSH_EVERY = 25  # notices per keyword-cache save inside bulk() (vectors: UPSERT_BATCH at a time)
ID_BATCH = 500  # ids per IN (...) query

_RECORDS = TypeAdapter(list[Record])


def _batches(ids: list[str]) -> Iterator[list[str]]:
    for i in range(0, len(ids), ID_BATCH):
        yield ids[i : i + ID_BATCH]


class NoticeStore:
    def __init__(self, path: Path, settings: Settings, embeddings: Embeddings) -> None:
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        self.settings = settings
        url = database_url(self.path, settings.database_url)
        try:
            self.db = Database(url)
            self.db.change_seq()
        except OperationalError as exc:
            if url.startswith("sqlite"):
                raise StoreDamagedError(damaged_message(display_url(url), exc)) from exc
            where = make_url(url)
            raise StoreUnavailableError(
                f"无法连接数据库服务器 {where.host}:{where.port or 5432}（{str(exc).splitlines()[0][:160]}）。"
                "请确认 PostgreSQL 正在运行，并检查 AUDIT_DATABASE_URL。"
            ) from exc
        except DatabaseError as exc:
            raise StoreDamagedError(damaged_message(display_url(url), exc)) from exc
        self.lock = WriterLock(self.db, self.path, settings.lock_timeout)
        namespace = self.db.store_id if settings.chroma_host else None
        chroma = self.path / "chroma"
        local = not settings.chroma_host
        # a local Chroma folder is opened (and healed) when a vector is first needed: importing
        # chromadb and loading its segments is most of what opening a store costs
        self.vectors = VectorIndex(
            None if local else open_client(settings, chroma),
            embeddings,
            namespace,
            reopen=(lambda: reopen_local(chroma, settings)) if local else None,
            connect=(lambda: open_client(settings, chroma)) if local else None,
            on_open=self._heal_vectors if local else None,
        )
        self.bm25_path = self.path / f"bm25-{self.vectors.name}.json"
        self._mutex = threading.RLock()  # sessions of the app run in threads
        self._bulk = 0
        self._pending: list[Chunk] = []
        self._prepared: list[PreparedNotice] = []  # inserted, their vectors not yet in Chroma
        self._pending_notices = 0
        self._seen = -1
        self.bm25 = BM25Index()
        self._manifest: dict[str, StoredNotice] | None = None
        self._records: list[Record] | None = None
        self._results: list[NoticeResult] | None = None
        self._heads: list[NoticeHead] | None = None
        self.healed = (0, 0)  # vectors added and removed while opening
        if self.lock.acquire(blocking=False):  # the first process in heals; the others just read
            try:
                migrate_json_store(self.db, self.path)
                self._load_keyword_index()
                if not local:
                    self._reconcile_vectors()
            finally:
                self.lock.release()
        else:
            self._load_keyword_index()

    @classmethod
    def open(
        cls,
        settings: Settings | None = None,
        *,
        path: Path | None = None,
        embeddings: Embeddings | None = None,
    ) -> NoticeStore:
        settings = settings or get_settings()
        return cls(Path(path or settings.store_dir), settings, embeddings or make_embeddings(settings))

    # ---- keeping this process's view current ---------------------------------------------

    def _load_keyword_index(self) -> None:
        """The cached keyword index, brought up to the database's last change (rebuilt if unusable)."""
        stamp = self.bm25_path.with_suffix(".seq")
        try:
            seen = int(stamp.read_text())
            index = BM25Index.load(self.bm25_path) if self.bm25_path.is_file() else None
        except (OSError, ValueError, KeyError, TypeError):  # a missing or damaged cache is rebuilt
            seen, index = -1, None
        with self._mutex:
            if index is None or seen < self._oldest_change():
                self.rebuild_keyword_index()
            else:
                self.bm25, self._seen = index, seen
                self._refresh()

    def _oldest_change(self) -> int:
        with self.db.session() as s:
            return int(s.scalar(select(func.min(ChangeRow.seq))) or 0) - 1

    def rebuild_keyword_index(self) -> int:
        """The keyword index from the chunks in the database; returns the documents indexed."""
        with self._mutex:
            seq = self.db.change_seq()
            index = BM25Index()
            for chunk in self._iter_chunks():
                index.add(chunk.chunk_id, chunk.search_text)
            self.bm25, self._seen = index, seq
            self._forget()
            if self.lock.acquire(blocking=False):  # re-entrant: a writer already holds it
                try:
                    self._save_keyword_index()
                finally:
                    self.lock.release()
            return len(index)

    def _save_keyword_index(self) -> None:
        """Only a writer saves the cache, content first: a crash leaves an older stamp, replayed safely.
        While documents of a bulk run are only in memory, the stamp stays where the disk is."""
        if self.bm25.save(self.bm25_path):
            self.bm25_path.with_suffix(".seq").write_text(str(self._seen))

    def _refresh(self) -> None:
        """Replay the changes other processes made since this one last looked."""
        with self._mutex:
            seq = self.db.change_seq()
            if seq == self._seen:
                return
            with self.db.session() as s:
                rows = s.execute(
                    select(ChangeRow.chunk_id, ChangeRow.op)
                    .where(ChangeRow.seq > self._seen)
                    .order_by(ChangeRow.seq)
                ).all()
            last = {chunk_id: op for chunk_id, op in rows if op != "notice"}
            for chunk_id, op in last.items():
                if op == "remove":
                    self.bm25.remove(chunk_id)
            added = [chunk_id for chunk_id, op in last.items() if op == "add"]
            for chunk in self.get_chunks(added).values():
                self.bm25.add(chunk.chunk_id, chunk.search_text)
            self._seen = max(seq, self._seen)
            self._forget()

    def _forget(self) -> None:
        self._manifest = None
        self._records = None
        self._results = None
        self._heads = None
        self._result.cache_clear()

    def _heal_vectors(self) -> None:
        """When the local vectors are first opened: heal them unless another process is writing."""
        if self.lock.acquire(blocking=False):
            try:
                self._reconcile_vectors()
            finally:
                self.lock.release()

    def _reconcile_vectors(self, force: bool = False) -> tuple[int, int]:
        """Heal an interrupted write: embed chunks Chroma lacks, drop vectors of removed chunks.

        Returns (vectors added, vectors removed)."""
        ids = self.chunk_ids()
        if not force and self.vectors.count() == len(ids):
            return 0, 0
        have = self.vectors.all_ids()
        missing = [i for i in ids if i not in have]
        if missing:
            chunks = self.get_chunks(missing)
            self.vectors.upsert([chunks[i] for i in missing if i in chunks])
        orphans = sorted(have - set(ids))
        self.vectors.delete(orphans)
        self.healed = (self.healed[0] + len(missing), self.healed[1] + len(orphans))
        return len(missing), len(orphans)

    # ---- writing -------------------------------------------------------------------------

    @contextmanager
    def bulk(self) -> Iterator[NoticeStore]:
        """Batch many adds under one hold of the writer lock: vectors upserted and the keyword cache
        saved every FLUSH_EVERY notices; each notice's rows are committed at once, so an interrupted
        run keeps what it finished and a re-run skips it."""
        with self.lock:  # other processes wait; this process's readers go on between adds
            self._bulk += 1
            try:
                yield self
            finally:
                self._bulk -= 1
                if self._bulk == 0:
                    with self._mutex:
                        self._flush(final=True)  # the keyword index rebuilt once per bulk run

    @contextmanager
    def _writing(self) -> Iterator[None]:
        with self.lock, self._mutex, guard_writes(self.path):
            self.vectors.open()  # opened and healed before any row is written
            self._refresh()
            yield

    def _flush(self, final: bool = False) -> None:
        """Vectors to Chroma and the keyword cache to disk; inside a bulk run (not `final`) vectors
        wait until there are UPSERT_BATCH of them, and the keyword index saves what is cheap."""
        with guard_writes(self.path):
            if self._pending:
                have = self.vectors.existing([c.chunk_id for c in self._pending])
                self.vectors.upsert([c for c in self._pending if c.chunk_id not in have])
                self._pending = []
            if final or not self._bulk or sum(len(p.chunks) for p in self._prepared) >= UPSERT_BATCH:
                self._flush_prepared()
            if final:
                self.bm25.merge(self.bm25_path)
            self._save_keyword_index()
            self._pending_notices = 0

    def _flush_prepared(self) -> None:
        """The vectors of the notices inserted by `add_prepared`: made in the workers, or here (an
        endpoint's model, or vectors of another model than this store's)."""
        import numpy as np

        prepared, self._prepared = self._prepared, []
        ids = [i for p in prepared for i in p.chunk_ids]
        if not ids:
            return
        rows = []
        for p in prepared:
            if not p.chunks:
                continue
            if p.vectors is not None and p.model_name == self.vectors.model_name:
                vectors = p.vectors
            elif p.texts is not None and p.headings is not None:
                vectors = self.vectors.embed_texts(p.texts, p.headings)
            else:
                vectors = self.vectors.embed(rechunk(p.notice_json, p.result_json, p.outline_json))
            rows.append(np.asarray(vectors, dtype=np.float32))
        self.vectors.upsert_vectors(ids, np.vstack(rows), [m for p in prepared for m in p.metadatas])

    def _earlier_version(self, other: StoredNotice, notice: Notice, result: NoticeResult) -> bool:
        """Is `other` an earlier version of this notice: the same place *and* the same document?

        The same place is the same resolved file, or an upload of the same name; the same document is
        the same issuing organisation and title. A different notice that happens to share a file name
        (another unit's 通报.txt) is never replaced.
        """
        if other.source_path is None or notice.source_path is None:
            return False
        uploads = (self.path / "uploads").resolve()
        here, there = Path(notice.source_path).resolve(), Path(other.source_path).resolve()
        same_place = here == there or (
            here.is_relative_to(uploads) and there.is_relative_to(uploads) and here.name == there.name
        )
        same_document = (other.organisation, other.title) == (result.meta.organisation, result.meta.title)
        return same_place and same_document

    def _same_name(self, s: Session, source_name: str) -> list[StoredNotice]:
        rows = s.scalars(
            select(NoticeRow).options(load_only(*_SUMMARY)).where(NoticeRow.source_name == source_name)
        )
        return [_summary(r) for r in rows]

    def add(self, processed: ProcessedNotice) -> AddResult:
        """Idempotent: the same notice with the same results changes nothing; a new version of the
        same source file replaces the old one; re-extraction updates records and metadata."""
        notice, result = processed.notice, processed.result
        chunks = chunk_notice(notice, result, processed.outline)
        new = {c.chunk_id: c for c in chunks}
        with self._writing():
            if any(p.notice_id == notice.notice_id for p in self._prepared):
                self._flush_prepared()  # its vectors first, so the ones it no longer has can go
            with self.db.session() as s:
                earlier = [
                    other
                    for other in (self._same_name(s, notice.source_name) if notice.source_path else [])
                    if other.notice_id != notice.notice_id and self._earlier_version(other, notice, result)
                ]
                row = s.get(NoticeRow, notice.notice_id)
                old = self._chunks_where(s, ChunkRow.notice_id == notice.notice_id) if row else {}
                old_result = NoticeResult.model_validate_json(row.result_json) if row else None
            if (
                row is not None
                and not earlier
                and old.keys() == new.keys()
                and old_result == result
                and all(old[i] == new[i] for i in new)
            ):
                return AddResult(
                    notice_id=notice.notice_id,
                    source_name=notice.source_name,
                    action="unchanged",
                    chunks=len(chunks),
                )
            for other in earlier:
                self._remove(other.notice_id)
            gone = [i for i in old if i not in new]
            changed = [c for i, c in new.items() if i in old and old[i] != c]
            fresh = [c for i, c in new.items() if i not in old]
            self._write_rows(processed, chunks, gone, [*fresh, *changed])
            self.vectors.delete(gone)
            self._pending = [c for c in self._pending if c.chunk_id not in gone]
            embedded = self._upsert(fresh)
            self.vectors.update_metadata(changed)
            for doc_id in gone:
                self.bm25.remove(doc_id)
            for chunk in [*fresh, *changed]:
                self.bm25.add(chunk.chunk_id, chunk.search_text)
            self._seen = self.db.change_seq()
            self._forget()
            self._pending_notices += 1
            if not self._bulk or self._pending_notices >= FLUSH_EVERY:
                self._flush()
        replaced = earlier[0].notice_id if earlier else None
        action = "replaced" if replaced else ("updated" if old else "added")
        return AddResult(
            notice_id=notice.notice_id,
            source_name=notice.source_name,
            action=action,
            chunks=len(chunks),
            embedded=embedded,
            replaced_notice_id=replaced,
        )

    def add_prepared(self, items: list[PreparedNotice]) -> list[AddResult]:
        """Many notices prepared in worker processes (`audit index`), with the outcome `add` would
        give each, in order. New notices — neither stored nor sharing a file name with a stored one —
        are inserted together: one transaction, one insert per table, their keyword terms and
        vectors handed over as arrays. The others (a re-run, a new version) take `add`'s path; one
        already stored unchanged is recognised from its serialised rows, without validating them."""
        out: dict[int, AddResult] = {}
        with self._writing():
            fresh, others = self._split(items)
            if fresh:
                batch = [p for _, p in fresh]
                try:
                    self._insert_rows(batch)
                except (OSError, DatabaseError):
                    if len(batch) == 1:
                        raise
                    # one notice at a time: a full disk keeps every notice that fitted, then says so
                    for p in batch:
                        self._insert_rows([p])
                        self._inserted([p])
                else:
                    self._inserted(batch)
                for i, p in fresh:
                    out[i] = AddResult(
                        notice_id=p.notice_id,
                        source_name=p.source_name,
                        action="added",
                        chunks=len(p.chunks),
                        embedded=len(p.chunks),
                    )
            for i, p in others:
                out[i] = self._add_known(p)
            if not self._bulk or self._pending_notices >= FLUSH_EVERY:
                self._flush()
        return [out[i] for i in range(len(items))]

    def _split(
        self, items: list[PreparedNotice]
    ) -> tuple[list[tuple[int, PreparedNotice]], list[tuple[int, PreparedNotice]]]:
        ids = [p.notice_id for p in items]
        names = sorted({p.source_name for p in items if p.source_path})
        with self.db.session() as s:
            stored = set(s.scalars(select(NoticeRow.notice_id).where(NoticeRow.notice_id.in_(ids))))
            named = set(s.scalars(select(NoticeRow.source_name).where(NoticeRow.source_name.in_(names))))
        fresh, others = [], []
        seen_ids: set[str] = set()
        seen_names: set[str] = set()
        for i, p in enumerate(items):
            known = p.notice_id in stored or p.notice_id in seen_ids
            if p.source_path and (p.source_name in named or p.source_name in seen_names):
                known = True  # perhaps a new version of a stored notice: add() decides
            (others if known else fresh).append((i, p))
            seen_ids.add(p.notice_id)
            if p.source_path:
                seen_names.add(p.source_name)
        return fresh, others

    def _insert_rows(self, items: list[PreparedNotice]) -> None:
        """New notices' rows, one insert of many rows per table, in one transaction."""
        now = dt.datetime.now(dt.UTC)
        changes: list[dict[str, str]] = []
        for p in items:
            changes.extend({"chunk_id": i, "op": "add"} for i in p.chunk_ids)
            changes.append({"chunk_id": p.notice_id, "op": "notice"})
        with self.db.session() as s:
            s.execute(
                insert(NoticeRow.__table__),
                [
                    {
                        "notice_id": p.notice_id,
                        "source_name": p.source_name,
                        "source_path": p.source_path,
                        "organisation": p.organisation,
                        "title": p.title,
                        "published": p.published,
                        "records": len(p.records),
                        "flagged_records": p.flagged_records,
                        "chunks": len(p.chunks),
                        "extractor": p.extractor,
                        "added_at": now,
                        "notice_json": p.notice_json,
                        "result_json": p.result_json,
                        "outline_json": p.outline_json,
                    }
                    for p in items
                ],
            )
            if records := [r for p in items for r in p.records]:
                s.execute(insert(RecordRow.__table__), records)
            if chunks := [c for p in items for c in p.chunks]:
                s.execute(insert(ChunkRow.__table__), chunks)
            s.execute(insert(ChangeRow.__table__), changes)

    def _inserted(self, items: list[PreparedNotice]) -> None:
        """After the commit: the keyword terms (as arrays), the vectors (pending until a batch is full)."""
        import numpy as np

        ids = [i for p in items for i in p.chunk_ids]
        if ids:
            self.bm25.add_many(
                ids,
                np.concatenate([p.lengths for p in items]),
                np.concatenate([self.bm25.term_ids(p.words)[p.places] for p in items]),
                np.concatenate([p.counts for p in items]),
            )
        self._prepared.extend(items)
        self._seen = self.db.change_seq()
        self._forget()
        self._pending_notices += len(items)

    def _add_known(self, p: PreparedNotice) -> AddResult:
        """A notice whose id or file name the store knows: unchanged when its result and chunks are
        stored as they are (compared as the serialised rows), else `add` decides."""
        with self.db.session() as s:
            result_json = s.scalar(select(NoticeRow.result_json).where(NoticeRow.notice_id == p.notice_id))
            same = result_json == p.result_json and not (
                p.source_path
                and s.scalar(
                    select(func.count())
                    .select_from(NoticeRow)
                    .where(NoticeRow.source_name == p.source_name, NoticeRow.notice_id != p.notice_id)
                )
            )
            if same:
                stored = dict(
                    s.execute(
                        select(ChunkRow.chunk_id, ChunkRow.chunk_json).where(
                            ChunkRow.notice_id == p.notice_id
                        )
                    ).all()
                )
                same = stored == {c["chunk_id"]: c["chunk_json"] for c in p.chunks}
        if same:
            return AddResult(
                notice_id=p.notice_id, source_name=p.source_name, action="unchanged", chunks=len(p.chunks)
            )
        notice = Notice.model_validate_json(p.notice_json)
        result = NoticeResult.model_validate_json(p.result_json)
        outline = Outline.model_validate_json(p.outline_json) if p.outline_json else None
        return self.add(ProcessedNotice(notice=notice, result=result, outline=outline))

    def _write_rows(
        self,
        processed: ProcessedNotice,
        chunks: list[Chunk],
        gone: list[str],
        touched: list[Chunk],
    ) -> None:
        """The notice, its records and chunks, and the change log, in one transaction."""
        notice, result = processed.notice, processed.result
        with self.db.session() as s:
            s.execute(delete(RecordRow).where(RecordRow.notice_id == notice.notice_id))
            s.execute(delete(ChunkRow).where(ChunkRow.notice_id == notice.notice_id))
            s.merge(
                NoticeRow(
                    **notice_columns(processed),
                    records=len(result.records),
                    flagged_records=sum(1 for r in result.records if r.flags),
                    chunks=len(chunks),
                    added_at=dt.datetime.now(dt.UTC),
                )
            )
            s.flush()
            s.add_all(record_rows(notice.notice_id, result.records))
            s.add_all(chunk_row(c) for c in chunks)
            s.add_all(ChangeRow(chunk_id=i, op="remove") for i in gone)
            s.add_all(ChangeRow(chunk_id=c.chunk_id, op="add") for c in touched)
            s.add(ChangeRow(chunk_id=notice.notice_id, op="notice"))

    def _upsert(self, chunks: list[Chunk]) -> int:
        if self._bulk:
            self._pending.extend(chunks)
            return len(chunks)
        have = self.vectors.existing([c.chunk_id for c in chunks])
        self.vectors.upsert([c for c in chunks if c.chunk_id not in have])
        return len(chunks) - len(have)

    def remove(self, notice_id: str) -> bool:
        """Remove a notice with its chunks, vectors, keyword entries and records."""
        with self._writing():
            removed = self._remove(notice_id)
            if removed and not self._bulk:
                self._flush()
            return removed

    def _remove(self, notice_id: str) -> bool:
        with self.db.session() as s:
            if s.get(NoticeRow, notice_id) is None:
                return False
            ids = list(s.scalars(select(ChunkRow.chunk_id).where(ChunkRow.notice_id == notice_id)))
            s.execute(delete(RecordRow).where(RecordRow.notice_id == notice_id))
            s.execute(delete(ChunkRow).where(ChunkRow.notice_id == notice_id))
            s.execute(delete(NoticeRow).where(NoticeRow.notice_id == notice_id))
            s.add_all(ChangeRow(chunk_id=i, op="remove") for i in ids)
            s.add(ChangeRow(chunk_id=notice_id, op="notice"))
        self._pending = [c for c in self._pending if c.notice_id != notice_id]
        self._prepared = [p for p in self._prepared if p.notice_id != notice_id]
        self.vectors.delete(ids)
        for doc_id in ids:
            self.bm25.remove(doc_id)
        self._seen = self.db.change_seq()
        self._forget()
        return True

    def resolve(self, prefix: str) -> str | None:
        """A notice id from a unique prefix of its id or its file name."""
        manifest = self.manifest
        if prefix in manifest:
            return prefix
        hits = [
            n for n in manifest.values() if n.notice_id.startswith(prefix) or n.source_name.startswith(prefix)
        ]
        return hits[0].notice_id if len(hits) == 1 else None

    # ---- reading -------------------------------------------------------------------------

    @property
    def manifest(self) -> dict[str, StoredNotice]:
        """Every stored notice's summary, by id (no notice text is read)."""
        with self._mutex:
            self._refresh()
            if self._manifest is None:
                with self.db.session() as s:
                    rows = s.scalars(select(NoticeRow).options(load_only(*_SUMMARY)))
                    self._manifest = {r.notice_id: _summary(r) for r in rows}
            return self._manifest

    def notice_count(self) -> int:
        """How many notices are stored (one count, no summaries read)."""
        with self.db.session() as s:
            return int(s.scalar(select(func.count()).select_from(NoticeRow)) or 0)

    def notices(self) -> list[StoredNotice]:
        return sorted(self.manifest.values(), key=lambda n: n.source_name)

    def get_notice(self, notice_id: str) -> Notice | None:
        with self.db.session() as s:
            text = s.scalar(select(NoticeRow.notice_json).where(NoticeRow.notice_id == notice_id))
        return Notice.model_validate_json(text) if text else None

    def get_result(self, notice_id: str) -> NoticeResult | None:
        with self._mutex:
            self._refresh()
            return self._result(notice_id)

    @lru_cache(maxsize=256)  # noqa: B019  (bounded; cleared whenever the store changes)
    def _result(self, notice_id: str) -> NoticeResult | None:
        with self.db.session() as s:
            text = s.scalar(select(NoticeRow.result_json).where(NoticeRow.notice_id == notice_id))
        return NoticeResult.model_validate_json(text) if text else None

    def results(self) -> list[NoticeResult]:
        """Every notice's result, in notice order: one query, parsed once per change of the store."""
        with self._mutex:
            self._refresh()
            if self._results is None:
                with self.db.session() as s:
                    rows = dict(s.execute(select(NoticeRow.notice_id, NoticeRow.result_json)).all())
                self._results = [
                    NoticeResult.model_validate_json(rows[n.notice_id])
                    for n in self.notices()
                    if n.notice_id in rows
                ]
            return list(self._results)

    def records(self) -> list[Record]:
        """Every record, in notice order then record order, from the records table."""
        with self._mutex:
            self._refresh()
            if self._records is None:
                order = {n.notice_id: i for i, n in enumerate(self.notices())}
                with self.db.session() as s:
                    rows = s.execute(
                        select(RecordRow.notice_id, RecordRow.position, RecordRow.record_json)
                    ).all()
                rows.sort(key=lambda r: (order.get(r[0], len(order)), r[1]))
                self._records = _RECORDS.validate_json(f"[{','.join(r[2] for r in rows)}]")
            return list(self._records)

    def heads(self) -> list[NoticeHead]:
        """Every notice's metadata and record count, in notice order, kept until the store changes.

        A stored result begins with its id, file name and metadata, so only the first few KB of each
        are read and the metadata object decoded from them (the whole result only where it is longer)."""
        with self._mutex:
            self._refresh()
            if self._heads is None:
                with self.db.session() as s:
                    rows = s.execute(
                        select(
                            NoticeRow.notice_id,
                            NoticeRow.records,
                            func.substr(NoticeRow.result_json, 1, _HEAD),
                        )
                    ).all()
                    found = {nid: (count, _meta_of(text)) for nid, count, text in rows}
                    for nid in [nid for nid, (_, meta) in found.items() if meta is None]:
                        text = s.scalar(select(NoticeRow.result_json).where(NoticeRow.notice_id == nid))
                        found[nid] = (found[nid][0], NoticeResult.model_validate_json(text or "").meta)
                self._heads = [
                    NoticeHead(notice_id=n.notice_id, source_name=n.source_name, meta=meta, records=count)
                    for n in self.notices()
                    if n.notice_id in found
                    for count, meta in [found[n.notice_id]]
                ]
            return list(self._heads)

    def query_records(
        self,
        notice_ids: Iterable[str] | None = None,
        statuses: Iterable[str] = (),
        flags: Iterable[str] = (),
        any_flag: bool = False,
        keep: Callable[[str], bool] | None = None,
    ) -> list[tuple[str, Record]]:
        """(notice id, record) for the records of these notices (None: all) with one of `statuses`
        and one of `flags` (or any flag), in notice order then record order: the filters are the
        records table's columns, and only the rows they select are read. `keep`, given a record's
        stored JSON, can skip it before it is parsed."""
        query = select(RecordRow.notice_id, RecordRow.position, RecordRow.record_json)
        if statuses := [str(x) for x in statuses]:
            query = query.where(RecordRow.status.in_(statuses))
        if codes := [str(x) for x in flags]:
            query = query.where(or_(*(RecordRow.flags.like(f"% {c} %") for c in codes)))
        elif any_flag:
            query = query.where(RecordRow.flags != "")
        order = {n.notice_id: i for i, n in enumerate(self.notices())}
        rows: list[Any] = []
        with self.db.session() as s:
            if notice_ids is None:
                rows = list(s.execute(query))
            else:
                for batch in _batches(sorted(set(notice_ids))):
                    rows.extend(s.execute(query.where(RecordRow.notice_id.in_(batch))))
        rows.sort(key=lambda r: (order.get(r[0], len(order)), r[1]))
        return [(r[0], Record.model_validate_json(r[2])) for r in rows if keep is None or keep(r[2])]

    def get_records(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Record]:
        """Records by (notice id, record id), only those rows read from the records table."""
        wanted = set(keys)
        out: dict[tuple[str, str], Record] = {}
        record_ids = sorted({r for _, r in wanted})
        with self.db.session() as s:
            for batch in _batches(sorted({n for n, _ in wanted})):
                rows = s.execute(
                    select(RecordRow.notice_id, RecordRow.record_id, RecordRow.record_json)
                    .where(RecordRow.notice_id.in_(batch), RecordRow.record_id.in_(record_ids))
                    .order_by(RecordRow.notice_id, RecordRow.position)
                ).all()
                for notice_id, record_id, text in rows:
                    if (notice_id, record_id) in wanted:
                        out[notice_id, record_id] = Record.model_validate_json(text)
        return out

    def keyword_stats(self) -> tuple[int, int]:
        """(the last change this process's keyword index holds, its documents): a version for
        caches built on the index, and the N of an idf over chunks."""
        with self._mutex:
            self._refresh()
            return self._seen, len(self.bm25)

    def doc_freq(self, *terms: str) -> int:
        """Chunks whose keyword terms (the shared tokeniser's) include every one of `terms`."""
        with self._mutex:
            return self.bm25.doc_freq_all(terms)

    @property
    def never_written(self) -> bool:
        return self.db.change_seq() == 0

    def chunk_ids(self) -> list[str]:
        with self.db.session() as s:
            return sorted(s.scalars(select(ChunkRow.chunk_id)))

    def _iter_chunks(self) -> Iterator[Chunk]:
        with self.db.session() as s:
            for text in s.scalars(select(ChunkRow.chunk_json).order_by(ChunkRow.chunk_id)).yield_per(2000):
                yield Chunk.model_validate_json(text)

    def _chunks_where(self, s: Session, condition: Any) -> dict[str, Chunk]:
        chunks = (
            Chunk.model_validate_json(t) for t in s.scalars(select(ChunkRow.chunk_json).where(condition))
        )
        return {c.chunk_id: c for c in chunks}

    def _kinds(self, ids: Iterable[str]) -> dict[str, str]:
        """Chunk id → kind, for the ids that are stored."""
        out: dict[str, str] = {}
        with self.db.session() as s:
            for batch in _batches(list(ids)):
                out.update(
                    s.execute(
                        select(ChunkRow.chunk_id, ChunkRow.kind).where(ChunkRow.chunk_id.in_(batch))
                    ).all()
                )  # type: ignore[arg-type]
        return out

    def get_chunks(self, ids: Iterable[str]) -> dict[str, Chunk]:
        out: dict[str, Chunk] = {}
        with self.db.session() as s:
            for batch in _batches(list(ids)):
                out.update(self._chunks_where(s, ChunkRow.chunk_id.in_(batch)))
        return out

    def chunks_of(self, notice_id: str) -> list[Chunk]:
        with self.db.session() as s:
            chunks = self._chunks_where(s, ChunkRow.notice_id == notice_id)
        return sorted(chunks.values(), key=lambda c: c.span.start)

    def stats(self) -> StoreStats:
        with self._mutex:
            self._refresh()
            with self.db.session() as s:
                notices = int(s.scalar(select(func.count()).select_from(NoticeRow)) or 0)
                chunks = int(s.scalar(select(func.count()).select_from(ChunkRow)) or 0)
                statuses = dict(
                    s.execute(select(RecordRow.status, func.count()).group_by(RecordRow.status)).all()
                )
                flag_fields = list(s.scalars(select(RecordRow.flags).where(RecordRow.flags != "")))
            flags = Counter(code for field in flag_fields for code in field.split())
            return StoreStats(
                path=str(self.path),
                backend=f"chroma server {self.settings.chroma_host}"
                if self.settings.chroma_host
                else "chroma (本地持久化)",
                database=display_url(self.db.url),
                collection=self.vectors.name,
                embeddings_model=self.vectors.model_name,
                dimensions=self.vectors.dimensions,
                notices=notices,
                records=sum(statuses.values()),
                flagged_records=len(flag_fields),
                chunks=chunks,
                vectors=self.vectors.count(),
                bm25_documents=len(self.bm25),
                status_counts={str(k): int(v) for k, v in statuses.items()},
                flag_counts=dict(flags),
            )

    # ---- maintenance ---------------------------------------------------------------------

    def check(self) -> CheckReport:
        """Verify the database, the vectors and this machine's keyword index against each other."""
        with self._mutex:
            self._refresh()
            return check_store(self.db, self.vectors.all_ids(), set(self.bm25.docs))

    @classmethod
    def rebuild(
        cls,
        settings: Settings | None = None,
        *,
        path: Path | None = None,
        embeddings: Embeddings | None = None,
    ) -> RebuildReport:
        """Salvage an unreadable SQLite file, then rebuild records, chunks, counts, the change log,
        the keyword index and the vectors from each notice's text, result and outline."""
        settings = settings or get_settings()
        folder = Path(path or settings.store_dir)
        report = RebuildReport()
        if not settings.database_url:
            with FileLock(folder / LOCK_FILE, timeout=settings.lock_timeout):
                if sqlite_readable(folder / DATABASE_FILE):
                    damaged, lost = salvage_sqlite(folder / DATABASE_FILE)
                    report.salvaged_from, report.lost = str(damaged), lost
        for cache in folder.glob("bm25-*"):
            shutil.rmtree(cache) if cache.is_dir() else cache.unlink()
        store = cls(folder, settings, embeddings or make_embeddings(settings))
        with store.lock, store._mutex:
            rebuild_tables(store.db, report, rechunk)
            report.keyword_documents = store.rebuild_keyword_index()
            store._reconcile_vectors(force=True)
            report.vectors_added, report.vectors_removed = store.healed
        return report

    # ---- search --------------------------------------------------------------------------

    def _notice_ids(self, filters: SearchFilters) -> set[str] | None:
        """Notices allowed by the notice-level filters, or None when none is set."""
        if not (filters.organisation or filters.date_from or filters.date_to or filters.notice_id):
            return None
        out = set()
        for n in self.manifest.values():
            if filters.notice_id and n.notice_id != filters.notice_id:
                continue
            if filters.organisation and filters.organisation not in (n.organisation or "") + n.source_name:
                continue
            if (filters.date_from or filters.date_to) and n.published is None:
                continue
            if filters.date_from and n.published and n.published < filters.date_from:
                continue
            if filters.date_to and n.published and n.published > filters.date_to:
                continue
            out.add(n.notice_id)
        return out

    def _allowed(self, filters: SearchFilters) -> set[str] | None:
        if filters.empty:
            return None
        notice_ids = self._notice_ids(filters)
        query = select(ChunkRow.chunk_id)
        if notice_ids is not None:
            if not notice_ids:
                return set()
            if len(notice_ids) <= ID_BATCH:
                query = query.where(ChunkRow.notice_id.in_(sorted(notice_ids)))
        if filters.status:
            query = query.where(ChunkRow.status == str(filters.status))
        if filters.flag:
            query = query.where(ChunkRow.flags.like(f"% {filters.flag} %"))
        if filters.kind:
            query = query.where(ChunkRow.kind == str(filters.kind))
        with self.db.session() as s:
            if notice_ids is not None and len(notice_ids) > ID_BATCH:
                query = query.add_columns(ChunkRow.notice_id)
                return {i for i, n in s.execute(query) if n in notice_ids}
            return set(s.scalars(query))

    def _where(self, filters: SearchFilters) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        notice_ids = self._notice_ids(filters)
        if notice_ids is not None:
            clauses.append({"notice_id": {"$in": sorted(notice_ids) or ["-"]}})
        if filters.status:
            clauses.append({"status": str(filters.status)})
        if filters.flag:
            clauses.append({f"flag_{filters.flag}": True})
        if filters.kind:
            clauses.append({"kind": str(filters.kind)})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def _candidate_vectors(self, query: str, chunks: list[Chunk]) -> list[tuple[str, float]] | None:
        """Cosine similarity of the query to each chunk, the vectors computed here (the offline
        model's, as Chroma holds them), best first; None when the model is not a local one."""
        embed = getattr(self.vectors.embeddings, "embed_matrix", None)
        if embed is None:
            return None
        texts, headings = [c.search_text for c in chunks], [c.heading for c in chunks]
        matrix = embed([*texts, query], [*headings, ""])  # as VectorIndex.embed makes them
        similarity = (matrix[:-1] @ matrix[-1]).tolist()
        ranked = sorted(zip((c.chunk_id for c in chunks), similarity, strict=True), key=lambda x: -x[1])
        return [(i, float(s)) for i, s in ranked]

    def search(
        self, query: str, k: int = 5, filters: SearchFilters | None = None, *, keyword_first: bool = False
    ) -> list[Hit]:
        """Vector and keyword rankings fused by reciprocal rank; filters apply to both.

        `keyword_first` (the shell's `audit search`): the vector ranking covers the keyword
        candidates only, their vectors computed from their text, so Chroma is never opened — unless
        the keywords find fewer than `k` passages or the embeddings come from an endpoint."""
        filters = filters or SearchFilters()
        candidates: dict[str, Chunk] | None = None
        with self._mutex:
            self._refresh()
            allowed = self._allowed(filters)
            if not query.strip() or not len(self.bm25) or allowed == set():
                return []
            bm25 = self.bm25.scores(query, allowed, limit=CANDIDATES)
            local = None
            if keyword_first and len(bm25) >= k:
                candidates = self.get_chunks(i for i, _ in bm25)
                local = self._candidate_vectors(query, [candidates[i] for i, _ in bm25 if i in candidates])
            vector = (
                local if local is not None else self.vectors.query(query, CANDIDATES, self._where(filters))
            )
        if allowed is not None:
            vector = [(i, s) for i, s in vector if i in allowed]
        if candidates is not None and local is not None:
            kinds = {i: c.kind.value for i, c in candidates.items()}
        else:  # the candidates' kinds for the fusion; only the k hits are read whole
            kinds = self._kinds({i for i, _ in vector} | {i for i, _ in bm25})
        vector = [(i, s) for i, s in vector if i in kinds]
        bm25 = [(i, s) for i, s in bm25 if i in kinds]
        fused = reciprocal_rank_fusion([[i for i, _ in vector], [i for i, _ in bm25]])
        fused = sorted(
            ((i, s * (SECTION_WEIGHT if kinds[i] == ChunkKind.SECTION.value else 1.0)) for i, s in fused),
            key=lambda item: -item[1],
        )
        if candidates is None or local is None:
            candidates = self.get_chunks(i for i, _ in fused[:k])
            fused = [(i, s) for i, s in fused if i in candidates]
        v_rank = {i: r for r, (i, _) in enumerate(vector, 1)}
        b_rank = {i: r for r, (i, _) in enumerate(bm25, 1)}
        v_score, b_score = dict(vector), dict(bm25)
        return [
            Hit(
                chunk=candidates[i],
                score=score,
                rank=rank,
                vector_rank=v_rank.get(i),
                bm25_rank=b_rank.get(i),
                vector_score=v_score.get(i),
                bm25_score=b_score.get(i),
            )
            for rank, (i, score) in enumerate(fused[:k], 1)
        ]


_SUMMARY = (
    NoticeRow.notice_id,
    NoticeRow.source_name,
    NoticeRow.source_path,
    NoticeRow.organisation,
    NoticeRow.title,
    NoticeRow.published,
    NoticeRow.records,
    NoticeRow.flagged_records,
    NoticeRow.chunks,
    NoticeRow.extractor,
    NoticeRow.added_at,
)


_HEAD = 4096  # characters of a stored result read for its metadata
_META = '"meta":'


def _meta_of(prefix: str | None) -> NoticeMeta | None:
    """The metadata object at the start of a stored result, None when it is not all in `prefix`."""
    at = (prefix or "").find(_META)
    if at < 0:
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(prefix or "", at + len(_META))
    except ValueError:
        return None
    return NoticeMeta.model_validate(value)


def _summary(row: NoticeRow) -> StoredNotice:
    return StoredNotice.model_validate(row, from_attributes=True)


def rechunk(notice_json: str, result_json: str, outline_json: str | None) -> list[Chunk]:
    """A notice's chunks again from what is primary (its text, result and outline)."""
    outline = Outline.model_validate_json(outline_json) if outline_json else None
    return chunk_notice(
        Notice.model_validate_json(notice_json), NoticeResult.model_validate_json(result_json), outline
    )
