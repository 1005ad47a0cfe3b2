"""The embeddings factory: an OpenAI-compatible endpoint when configured, else offline hashed n-grams.

The offline default needs no download (Chroma's own default would fetch a model): character
1–3-grams hashed into a fixed space. For Chinese, where words are not delimited, character
bigrams carry most of the meaning, so they weigh most.
"""

from __future__ import annotations

import math
import re
import unicodedata
import zlib

from langchain_core.embeddings import Embeddings

from assistant.settings import Settings, get_settings

_KEEP = re.compile(r"[\u4e00-\u9fff]+|[a-z0-9]+(?:\.[0-9]+)?")
NGRAM_WEIGHTS = {1: 0.5, 2: 1.0, 3: 0.8}


class HashedNgramEmbeddings(Embeddings):
    """Deterministic across processes (crc32, never Python's salted hash), L2-normalised."""

    def __init__(self, dimensions: int = 1024) -> None:
        self.dimensions = dimensions
        self.model_name = f"hashed-ngram-v1-{dimensions}"

    def _vector(self, text: str) -> list[float]:
        vec = [0.0] * self.dimensions
        counts: dict[str, float] = {}
        text = unicodedata.normalize("NFKC", text).lower()
        for run in _KEEP.findall(text):
            if run.isascii():
                counts[run] = counts.get(run, 0.0) + 1.0  # latin words and numbers whole
                continue
            for n, weight in NGRAM_WEIGHTS.items():
                for i in range(len(run) - n + 1):
                    gram = run[i : i + n]
                    counts[gram] = counts.get(gram, 0.0) + weight
        for gram, count in counts.items():
            h = zlib.crc32(gram.encode("utf-8"))
            sign = 1.0 if (h >> 31) & 1 else -1.0  # signed hashing: collisions cancel, not pile up
            vec[h % self.dimensions] += sign * (1.0 + math.log(count))
        norm = math.sqrt(sum(v * v for v in vec)) or 1.0
        return [v / norm for v in vec]

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return [self._vector(t) for t in texts]

    def embed_query(self, text: str) -> list[float]:
        return self._vector(text)


def embeddings_model_name(embeddings: Embeddings) -> str:
    """A stable name for the vector space, so vectors of different models never share a collection."""
    name = getattr(embeddings, "model_name", None) or getattr(embeddings, "model", None)
    return str(name or type(embeddings).__name__)


def make_embeddings(settings: Settings | None = None) -> Embeddings:
    settings = settings or get_settings()
    if not settings.embeddings_configured:
        return HashedNgramEmbeddings()
    from langchain_openai import OpenAIEmbeddings

    key = settings.embeddings_api_key or settings.api_key
    return OpenAIEmbeddings(
        model=settings.embeddings_model or "",
        base_url=settings.embeddings_base_url,
        api_key=key or "not-needed",  # type: ignore[arg-type]  # local servers accept any key
        check_embedding_ctx_length=False,  # no tiktoken download; the endpoint tokenises
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )
