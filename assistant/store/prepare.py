"""A processed notice made ready for the store where it was processed (a worker of `audit index`):
its chunks, their keyword terms and vectors, and its database rows already serialised. The process
that writes then only inserts rows in batches and hands over arrays; it never tokenises, embeds or
validates a model again, and nothing heavier than strings and arrays crosses between processes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from assistant.chunking import chunk_notice
from assistant.models import ProcessedNotice
from assistant.store.bm25 import count_terms
from assistant.store.values import chunk_metadata, chunk_values, notice_columns, record_values

if TYPE_CHECKING:
    import numpy as np

    from assistant.providers.embeddings import Embeddings


@dataclass(slots=True)
class PreparedNotice:
    notice_id: str
    source_name: str
    source_path: str | None
    organisation: str | None
    title: str | None
    published: dt.date | None
    extractor: str
    notice_json: str
    result_json: str
    outline_json: str | None
    records: list[dict[str, Any]]  # RecordRow values
    chunks: list[dict[str, Any]]  # ChunkRow values, in chunk order
    metadatas: list[dict[str, Any]]  # Chroma metadata per chunk
    words: list[str]  # the keyword terms of all chunks (a local vocabulary) …
    lengths: np.ndarray  # … distinct terms per chunk,
    places: np.ndarray  # each term's place in `words`,
    counts: np.ndarray  # and its count (bm25.count_terms)
    vectors: np.ndarray | None  # float32, one row per chunk, when the model could run here
    model_name: str | None  # the embeddings model of `vectors`
    texts: list[str] | None = None  # search texts and headings, when the vectors are still to be made
    headings: list[str] | None = None

    @property
    def chunk_ids(self) -> list[str]:
        return [c["chunk_id"] for c in self.chunks]

    @property
    def flagged_records(self) -> int:
        return sum(1 for r in self.records if r["flags"])


def local_embeddings(embeddings: Embeddings) -> Embeddings | None:
    """The model itself when it can run in a worker process (the offline one: no endpoint, no state),
    else None (an endpoint is called from the writing process, as before)."""
    return embeddings if hasattr(embeddings, "embed_matrix") else None


def prepare(processed: ProcessedNotice, embeddings: Embeddings | None = None) -> PreparedNotice:
    """Chunks, keyword terms, vectors (with a local model) and row values of one processed notice."""
    from assistant.providers.embeddings import embeddings_model_name

    chunks = chunk_notice(processed.notice, processed.result, processed.outline)
    texts = [c.search_text for c in chunks]
    headings = [c.heading for c in chunks]
    words, lengths, places, counts = count_terms(texts)
    matrix = getattr(embeddings, "embed_matrix", None) if embeddings is not None else None
    vectors = matrix(texts, headings) if matrix is not None and chunks else None
    return PreparedNotice(
        **notice_columns(processed),
        records=record_values(processed.notice.notice_id, processed.result.records),
        chunks=[chunk_values(c) for c in chunks],
        metadatas=[chunk_metadata(c) for c in chunks],
        words=words,
        lengths=lengths,
        places=places,
        counts=counts,
        vectors=vectors,
        model_name=embeddings_model_name(embeddings) if vectors is not None and embeddings else None,
        texts=None if vectors is not None else texts,
        headings=None if vectors is not None else headings,
    )
