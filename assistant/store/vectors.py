"""The Chroma side of the store: one collection per embedding model, vectors we compute ourselves.

Chroma's default embedding function downloads a model, so collections are opened with
`embedding_function=None` and every add/query passes its own vectors. chromadb is imported when a
client is opened (≈ 2 s of CPU), not with this module.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from assistant.chunking import Chunk
from assistant.providers.embeddings import Embeddings, embeddings_model_name
from assistant.settings import Settings
from assistant.store.values import chunk_metadata

BATCH = 1000  # ids per get/delete/update
UPSERT_BATCH = 5000  # vectors per upsert (Chroma's own limit, get_max_batch_size(), is 5,461 here)
HNSW = {"hnsw:space": "cosine", "hnsw:construction_ef": 40}
"""The vector index's settings for a new collection (an existing one keeps those it was made with).
Construction ef 40 instead of Chroma's 100: on 23,000 real chunk vectors (512-d) it costs 0.43 ms of
CPU per vector instead of 0.74, and the top 50 of a query keep 99.3 % of the exact top 50
(evals/BENCH.md); M stays 16 (12 lost recall: 97.5 %)."""


def collection_name(model_name: str, dimensions: int, namespace: str | None = None) -> str:
    """Chroma names: 3–63 chars of [a-zA-Z0-9._-], starting and ending alphanumeric.

    On a shared Chroma server the store's id leads the name, so two deployments on one server never
    touch each other's collections; a local store has its own Chroma folder and needs none.
    """
    slug = re.sub(r"[^a-zA-Z0-9._-]+", "-", model_name).strip("-._") or "model"
    prefix = f"s{namespace}-" if namespace else ""
    return f"{prefix}chunks-{slug[:40]}-{dimensions}"


def open_client(settings: Settings, path: Path) -> Any:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        port = settings.chroma_port or 8000
        try:
            return chromadb.HttpClient(host=settings.chroma_host, port=port, settings=chroma_settings)
        except Exception as exc:  # chromadb raises ValueError or its own errors on a dead server
            from assistant.store.errors import StoreUnavailableError

            raise StoreUnavailableError(
                f"无法连接 Chroma 服务器 {settings.chroma_host}:{port}（{str(exc).splitlines()[0][:160]}）。"
                "请确认 `chroma run` 正在运行，并检查 AUDIT_CHROMA_HOST / AUDIT_CHROMA_PORT。"
            ) from exc
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def reopen_local(path: Path, settings: Settings) -> Any:
    """A fresh client on a local Chroma folder another process has written since we opened it.

    Chroma keeps one system per folder and process; a reader that opened the collection before the
    first vectors reached disk keeps failing with "Nothing found on disk" until that system restarts.
    """
    from chromadb.api.shared_system_client import SharedSystemClient

    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        system.stop()
    return open_client(settings, path)


class VectorIndex:
    """One Chroma collection: of `client`, or of the client `connect` returns when a vector is first
    read or written (then `on_open` runs once, right after)."""

    def __init__(
        self,
        client: Any,
        embeddings: Embeddings,
        namespace: str | None = None,
        reopen: Callable[[], Any] | None = None,
        *,
        connect: Callable[[], Any] | None = None,
        on_open: Callable[[], object] | None = None,
    ) -> None:
        self.embeddings = embeddings
        self.model_name = embeddings_model_name(embeddings)
        self.dimensions = len(embeddings.embed_query("维度"))
        self.name = collection_name(self.model_name, self.dimensions, namespace)
        self._reopen = reopen
        self._connect = connect
        self._on_open = on_open
        self._collection: Any = None
        self._lock = threading.RLock()
        if connect is None:
            self._open(client)

    @property
    def opened(self) -> bool:
        return self._collection is not None

    def open(self) -> None:
        """Open the collection now (a writer does before its first write)."""
        _ = self.collection

    @property
    def collection(self) -> Any:
        if self._collection is None:
            with self._lock:
                if self._collection is None and self._connect is not None:
                    self._open(self._connect())
                    hook, self._on_open = self._on_open, None
                    if hook is not None:
                        hook()
        return self._collection

    def _open(self, client: Any) -> None:
        self._collection = client.get_or_create_collection(
            name=self.name,
            embedding_function=None,
            metadata={**HNSW, "embedding_model": self.model_name},
        )

    def count(self) -> int:
        return int(self.collection.count())

    def existing(self, ids: list[str]) -> set[str]:
        if not ids:
            return set()
        return set(self.collection.get(ids=ids, include=[])["ids"])

    def all_ids(self) -> set[str]:
        out: set[str] = set()
        total = self.count()
        for offset in range(0, total, BATCH * 10):
            out.update(self.collection.get(include=[], limit=BATCH * 10, offset=offset)["ids"])
        return out

    def embed(self, chunks: list[Chunk]) -> Any:
        return self.embed_texts([c.search_text for c in chunks], [c.heading for c in chunks])

    def embed_texts(self, texts: list[str], headings: list[str]) -> Any:
        """Chunks' vectors from their search texts and headings: the offline model hands over one
        float32 matrix (no Python float per dimension) and weighs each heading; an endpoint gets the
        plain search texts."""
        matrix = getattr(self.embeddings, "embed_matrix", None)
        if matrix is not None:
            return matrix(texts, headings)
        return self.embeddings.embed_documents(texts)

    def upsert(self, chunks: list[Chunk]) -> None:
        for i in range(0, len(chunks), UPSERT_BATCH):
            batch = chunks[i : i + UPSERT_BATCH]
            self.upsert_vectors(
                [c.chunk_id for c in batch], self.embed(batch), [chunk_metadata(c) for c in batch]
            )

    def upsert_vectors(self, ids: list[str], vectors: Any, metadatas: list[dict[str, Any]]) -> None:
        """Vectors computed elsewhere (a worker process), in Chroma's largest batches. No documents:
        the text lives in the store's own tables, and Chroma would build a full-text index of it."""
        for i in range(0, len(ids), UPSERT_BATCH):
            self.collection.upsert(
                ids=ids[i : i + UPSERT_BATCH],
                embeddings=vectors[i : i + UPSERT_BATCH],
                metadatas=metadatas[i : i + UPSERT_BATCH],
            )

    def update_metadata(self, chunks: list[Chunk]) -> None:
        """Status or flags changed (re-extraction) but the text did not: no re-embedding."""
        for i in range(0, len(chunks), BATCH):
            batch = chunks[i : i + BATCH]
            self.collection.update(
                ids=[c.chunk_id for c in batch], metadatas=[chunk_metadata(c) for c in batch]
            )

    def delete(self, ids: list[str]) -> None:
        for i in range(0, len(ids), BATCH):
            self.collection.delete(ids=ids[i : i + BATCH])

    def query(self, text: str, n: int, where: dict[str, Any] | None) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first.

        No count() first: Chroma answers a collection smaller than `n` (or empty) with what it has,
        and its count() costs more than the query itself (63 ms against 6 ms at 240,000 vectors)."""
        query = {
            "query_embeddings": [self.embeddings.embed_query(text)],
            "n_results": n,
            "where": where or None,
            "include": ["distances"],
        }
        from chromadb.errors import ChromaError

        try:
            result = self.collection.query(**query)
        except ChromaError:
            if self.count() == 0:
                return []
            if self._reopen is None:
                raise
            self._open(self._reopen())  # another process wrote since we opened: look again
            result = self.collection.query(**query)
        ids = result["ids"][0]
        distances = result["distances"][0] if result.get("distances") else [0.0] * len(ids)
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
