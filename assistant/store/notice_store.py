"""NoticeStore: the persistent home of processed notices — vectors in Chroma, BM25 beside them,
records and chunks as JSON — with hybrid search fused by reciprocal rank."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from langchain_core.embeddings import Embeddings

from assistant.chunking import Chunk, ChunkKind, chunk_notice
from assistant.models import Notice, NoticeResult, ProcessedNotice, Record
from assistant.providers.embeddings import make_embeddings
from assistant.settings import Settings, get_settings
from assistant.store.bm25 import BM25Index
from assistant.store.files import StoredNotice, StoreFiles
from assistant.store.fusion import reciprocal_rank_fusion
from assistant.store.models import AddResult, Hit, SearchFilters, StoreStats
from assistant.store.vectors import VectorIndex, open_client

CANDIDATES = 50  # per ranking, before fusion
SECTION_WEIGHT = 0.9  # questions are about records: a section must beat a record clearly to outrank it
FLUSH_EVERY = 25  # notices per write inside bulk(): bounds what an interruption can cost


class NoticeStore:
    def __init__(self, path: Path, settings: Settings, embeddings: Embeddings) -> None:
        self.path = path
        self.settings = settings
        self.files = StoreFiles(path)
        self.vectors = VectorIndex(open_client(settings, path / "chroma"), embeddings)
        self.bm25_path = path / f"bm25-{self.vectors.name}.json"
        self.bm25 = BM25Index.load(self.bm25_path)
        self.manifest = self.files.load_manifest()
        self.chunks: dict[str, Chunk] = {}
        for notice_id in self.manifest:
            for chunk in self.files.chunks(notice_id):
                self.chunks[chunk.chunk_id] = chunk
        self._results: dict[str, NoticeResult] = {}
        self._bulk = 0
        self._pending: list[Chunk] = []
        self._pending_notices = 0
        self._reconcile()

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

    def _reconcile(self) -> None:
        """Heal an interrupted write: index what the files hold and is missing from BM25 or Chroma."""
        missing_bm25 = [c for c in self.chunks.values() if c.chunk_id not in self.bm25]
        for chunk in missing_bm25:
            self.bm25.add(chunk.chunk_id, chunk.search_text)
        known = set(self.chunks)
        stale = [d for d in list(self.bm25.docs) if d not in known]
        for doc_id in stale:
            self.bm25.remove(doc_id)
        if missing_bm25 or stale:
            self.bm25.save(self.bm25_path)
        if self.vectors.count() != len(self.chunks):
            ids = list(self.chunks)
            have = self.vectors.existing(ids)
            self.vectors.upsert([self.chunks[i] for i in ids if i not in have])

    # ---- writing -------------------------------------------------------------------------

    @contextmanager
    def bulk(self) -> Iterator[NoticeStore]:
        """Batch many adds: vectors upserted and indexes saved every FLUSH_EVERY notices, not each time.

        Chroma's per-call write cost dominates small upserts; a notice's own files are still written
        at once, and a reopen indexes anything an interruption left out of Chroma or BM25.
        """
        self._bulk += 1
        try:
            yield self
        finally:
            self._bulk -= 1
            if self._bulk == 0:
                self._flush()

    def _flush(self) -> None:
        if self._pending:
            have = self.vectors.existing([c.chunk_id for c in self._pending])
            self.vectors.upsert([c for c in self._pending if c.chunk_id not in have])
            self._pending = []
        self.bm25.save(self.bm25_path)
        self.files.save_manifest(self.manifest)
        self._pending_notices = 0

    def _upsert(self, chunks: list[Chunk]) -> int:
        if self._bulk:
            self._pending.extend(chunks)
            return len(chunks)
        have = self.vectors.existing([c.chunk_id for c in chunks])
        self.vectors.upsert([c for c in chunks if c.chunk_id not in have])
        return len(chunks) - len(have)

    def _earlier_version(self, other: StoredNotice, notice: Notice, result: NoticeResult) -> bool:
        """Is `other` an earlier version of this notice: the same place *and* the same document?

        The same place is the same resolved file, or an upload of the same name; the same document is
        the same issuing organisation and title. A different notice that happens to share a file name
        (another unit's 通报.txt) is never replaced.
        """
        if other.source_path is None or notice.source_path is None:
            return False
        uploads = (Path(self.path) / "uploads").resolve()
        here, there = Path(notice.source_path).resolve(), Path(other.source_path).resolve()
        same_place = here == there or (
            here.is_relative_to(uploads) and there.is_relative_to(uploads) and here.name == there.name
        )
        same_document = (other.organisation, other.title) == (result.meta.organisation, result.meta.title)
        return same_place and same_document

    def add(self, processed: ProcessedNotice) -> AddResult:
        """Idempotent: the same notice with the same results changes nothing; a new version of the
        same source file replaces the old one; re-extraction updates records and metadata."""
        notice, result = processed.notice, processed.result
        replaced: str | None = None
        if notice.source_path:
            for other in list(self.manifest.values()):
                if other.notice_id != notice.notice_id and self._earlier_version(other, notice, result):
                    self.remove(other.notice_id)
                    replaced = other.notice_id
        chunks = chunk_notice(notice, result, processed.outline)
        old = (
            {c.chunk_id: c for c in self.files.chunks(notice.notice_id)}
            if notice.notice_id in self.manifest
            else {}
        )
        new = {c.chunk_id: c for c in chunks}
        old_result = self.get_result(notice.notice_id) if old else None
        if old and old.keys() == new.keys() and old_result == result and all(old[i] == new[i] for i in new):
            return AddResult(
                notice_id=notice.notice_id,
                source_name=notice.source_name,
                action="unchanged",
                chunks=len(chunks),
            )

        self.files.save(notice, result, chunks)
        gone = [i for i in old if i not in new]
        self.vectors.delete(gone)
        self._pending = [c for c in self._pending if c.chunk_id not in gone]
        embedded = self._upsert([c for i, c in new.items() if i not in old])
        changed = [c for i, c in new.items() if i in old and old[i] != c]
        self.vectors.update_metadata(changed)
        for doc_id in gone:
            self.bm25.remove(doc_id)
            self.chunks.pop(doc_id, None)
        for chunk in chunks:
            if chunk.chunk_id not in self.bm25:
                self.bm25.add(chunk.chunk_id, chunk.search_text)
            self.chunks[chunk.chunk_id] = chunk
        self._results[notice.notice_id] = result
        self.manifest[notice.notice_id] = StoredNotice(
            notice_id=notice.notice_id,
            source_name=notice.source_name,
            source_path=notice.source_path,
            organisation=result.meta.organisation,
            title=result.meta.title,
            published=result.meta.published,
            records=len(result.records),
            flagged_records=sum(1 for r in result.records if r.flags),
            chunks=len(chunks),
            extractor=result.extractor,
            added_at=dt.datetime.now(dt.UTC),
        )
        self._pending_notices += 1
        if not self._bulk or self._pending_notices >= FLUSH_EVERY:
            self._flush()
        action = "replaced" if replaced else ("updated" if old else "added")
        return AddResult(
            notice_id=notice.notice_id,
            source_name=notice.source_name,
            action=action,
            chunks=len(chunks),
            embedded=embedded,
            replaced_notice_id=replaced,
        )

    def remove(self, notice_id: str) -> bool:
        """Remove a notice with its chunks, vectors, BM25 entries and records."""
        if notice_id not in self.manifest:
            return False
        ids = [c.chunk_id for c in self.files.chunks(notice_id)]
        self._pending = [c for c in self._pending if c.notice_id != notice_id]
        self.vectors.delete(ids)
        for doc_id in ids:
            self.bm25.remove(doc_id)
            self.chunks.pop(doc_id, None)
        del self.manifest[notice_id]
        if not self._bulk:
            self.bm25.save(self.bm25_path)
            self.files.save_manifest(self.manifest)
        self.files.delete(notice_id)
        self._results.pop(notice_id, None)
        return True

    def resolve(self, prefix: str) -> str | None:
        """A notice id from a unique prefix of its id or its file name."""
        if prefix in self.manifest:
            return prefix
        hits = [
            n
            for n in self.manifest.values()
            if n.notice_id.startswith(prefix) or n.source_name.startswith(prefix)
        ]
        return hits[0].notice_id if len(hits) == 1 else None

    # ---- reading -------------------------------------------------------------------------

    def notices(self) -> list[StoredNotice]:
        return sorted(self.manifest.values(), key=lambda n: n.source_name)

    def get_notice(self, notice_id: str) -> Notice | None:
        return self.files.notice(notice_id) if notice_id in self.manifest else None

    def get_result(self, notice_id: str) -> NoticeResult | None:
        if notice_id not in self.manifest:
            return None
        if notice_id not in self._results:
            result = self.files.result(notice_id)
            if result is None:
                return None
            self._results[notice_id] = result
        return self._results[notice_id]

    def results(self) -> list[NoticeResult]:
        return [r for n in self.notices() if (r := self.get_result(n.notice_id)) is not None]

    def records(self) -> list[Record]:
        return [record for result in self.results() for record in result.records]

    def chunks_of(self, notice_id: str) -> list[Chunk]:
        return sorted(
            (c for c in self.chunks.values() if c.notice_id == notice_id), key=lambda c: c.span.start
        )

    def stats(self) -> StoreStats:
        records = self.records()
        return StoreStats(
            path=str(self.path),
            backend=f"chroma server {self.settings.chroma_host}"
            if self.settings.chroma_host
            else "chroma (本地持久化)",
            collection=self.vectors.name,
            embeddings_model=self.vectors.model_name,
            dimensions=self.vectors.dimensions,
            notices=len(self.manifest),
            records=len(records),
            flagged_records=sum(1 for r in records if r.flags),
            chunks=len(self.chunks),
            vectors=self.vectors.count(),
            bm25_documents=len(self.bm25),
            status_counts=dict(Counter(r.status.value for r in records)),
            flag_counts=dict(Counter(code for r in records for code in r.flag_codes)),
        )

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
        return {
            c.chunk_id
            for c in self.chunks.values()
            if (notice_ids is None or c.notice_id in notice_ids)
            and (not filters.status or c.status == filters.status)
            and (not filters.flag or filters.flag in c.flag_codes)
            and (not filters.kind or c.kind == filters.kind)
        }

    def _where(self, filters: SearchFilters) -> dict[str, Any] | None:
        clauses: list[dict[str, Any]] = []
        notice_ids = self._notice_ids(filters)
        if notice_ids is not None:
            clauses.append({"notice_id": {"$in": sorted(notice_ids) or ["-"]}})
        if filters.status:
            clauses.append({"status": filters.status})
        if filters.flag:
            clauses.append({f"flag_{filters.flag}": True})
        if filters.kind:
            clauses.append({"kind": filters.kind})
        if not clauses:
            return None
        return clauses[0] if len(clauses) == 1 else {"$and": clauses}

    def search(self, query: str, k: int = 5, filters: SearchFilters | None = None) -> list[Hit]:
        """Vector and BM25 rankings fused by reciprocal rank; filters apply to both."""
        filters = filters or SearchFilters()
        allowed = self._allowed(filters)
        if not query.strip() or not self.chunks or allowed == set():
            return []
        bm25 = self.bm25.scores(query, allowed)[:CANDIDATES]
        vector = [
            (i, s) for i, s in self.vectors.query(query, CANDIDATES, self._where(filters)) if i in self.chunks
        ]
        if allowed is not None:
            vector = [(i, s) for i, s in vector if i in allowed]
        fused = reciprocal_rank_fusion([[i for i, _ in vector], [i for i, _ in bm25]])
        fused = sorted(
            (
                (i, s * (SECTION_WEIGHT if self.chunks[i].kind == ChunkKind.SECTION else 1.0))
                for i, s in fused
            ),
            key=lambda item: -item[1],
        )
        v_rank = {i: r for r, (i, _) in enumerate(vector, 1)}
        b_rank = {i: r for r, (i, _) in enumerate(bm25, 1)}
        v_score, b_score = dict(vector), dict(bm25)
        return [
            Hit(
                chunk=self.chunks[i],
                score=score,
                rank=rank,
                vector_rank=v_rank.get(i),
                bm25_rank=b_rank.get(i),
                vector_score=v_score.get(i),
                bm25_score=b_score.get(i),
            )
            for rank, (i, score) in enumerate(fused[:k], 1)
        ]
