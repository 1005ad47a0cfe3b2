"""The embeddings factory: an OpenAI-compatible endpoint when configured, else offline hashed n-grams.

The offline default needs no download (Chroma's own default would fetch a model): character
1–3-grams hashed into a fixed space. For Chinese, where words are not delimited, character
bigrams and trigrams carry the meaning; single characters are mostly function words and
boilerplate (整、改、的、了), so they weigh little. Each n-gram adds weight × (1 + log tf):
the weight scales linearly, so a frequent unigram can never outweigh a rare bigram.

The n-grams of a text are computed at once with numpy (code points packed into one integer key
per gram, mixed by splitmix64), not one Python string per gram.

A chunk's heading (its outline path: the problem it is about) counts once more than its body: the
vector is the sum of the normalised vectors of the whole text and of the heading, normalised. In a
small space the body's many n-grams collide with the question's few; the heading keeps the record
a question names close to it ("张家界交警支队 执法不规范" → the record headed 执法不规范, not a long
record that merely shares 不规范). With that, 512 dimensions keep retrieval quality (study in
evals/BENCH.md), an eighth of the memory and of the vector index's work of 4,096.
"""

from __future__ import annotations

import re
import zlib
from typing import TYPE_CHECKING, Protocol

from assistant.settings import Settings, get_settings
from assistant.text.fold import fold

if TYPE_CHECKING:
    import numpy as np

_ASCII = re.compile(r"[a-z0-9]+(?:\.[0-9]+)?")
NGRAM_WEIGHTS = {1: 0.3, 2: 1.0, 3: 1.0}
ASCII_WEIGHT = 1.0  # latin words and numbers are hashed whole
DIMENSIONS = 512
HEADING_WEIGHT = 1.0  # the heading's own vector, added to the whole text's (both normalised)
_CJK_FIRST, _CJK_LAST = 0x4E00, 0x9FFF
_ROWS_PER_PASS = 4096  # texts hashed in one pass: their row index fits the key's 12 spare bits


def _splitmix64(keys: np.ndarray) -> np.ndarray:
    """A well-mixed 64-bit hash of each key (uint64 arithmetic wraps, as the algorithm wants)."""
    import numpy as np

    z = keys + np.uint64(0x9E3779B97F4A7C15)
    z = (z ^ (z >> np.uint64(30))) * np.uint64(0xBF58476D1CE4E5B9)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(0x94D049BB133111EB)
    return z ^ (z >> np.uint64(31))


class Embeddings(Protocol):
    """What the store needs of an embeddings model: LangChain's interface, by shape.

    The offline model does not subclass LangChain's `Embeddings`: importing that base pulls in
    LangChain's runnables (≈ 0.3 s of every `audit search`); an endpoint's model is LangChain's own.
    """

    def embed_documents(self, texts: list[str]) -> list[list[float]]: ...

    def embed_query(self, text: str) -> list[float]: ...


class HashedNgramEmbeddings:
    """Deterministic across processes (no salted hash), L2-normalised."""

    def __init__(self, dimensions: int = DIMENSIONS) -> None:
        self.dimensions = dimensions
        # v4: the heading weighed once more (v3: numpy n-grams, splitmix64 hashing)
        self.model_name = f"hashed-ngram-v4-{dimensions}"

    def embed_matrix(self, texts: list[str], headings: list[str] | None = None) -> np.ndarray:
        """The vectors of `texts` (float32, one row each, L2-normalised), for the whole batch in a few
        numpy passes; `headings[i]` (a chunk's heading, "" for none) is weighed once more in row i."""
        import numpy as np

        return self._vectors(texts, headings).astype(np.float32)

    def _vectors(self, texts: list[str], headings: list[str] | None = None) -> np.ndarray:
        rows = self._normalised(texts)
        if headings is not None and any(headings):
            rows += HEADING_WEIGHT * self._normalised(headings)
            rows = _normalise(rows)
        return rows

    def _normalised(self, texts: list[str]) -> np.ndarray:
        """Every n-gram occurrence becomes one uint64 key: its code points (16 bits each, CJK only),
        the text's row in bits 48–59 and n in bits 60–61; n-grams never cross a non-CJK character,
        which also separates the texts."""
        import numpy as np

        rows = np.zeros((len(texts), self.dimensions))
        for start in range(0, len(texts), _ROWS_PER_PASS):
            part = texts[start : start + _ROWS_PER_PASS]
            keys, weights = self._keys(part)
            if not len(keys):
                continue
            unique, first, counts = np.unique(keys, return_index=True, return_counts=True)
            row = ((unique >> np.uint64(48)) & np.uint64(_ROWS_PER_PASS - 1)).astype(np.intp)
            h = _splitmix64(unique & ~np.uint64((_ROWS_PER_PASS - 1) << 48))  # the gram, not its row
            sign = np.where((h >> np.uint64(63)) == 1, 1.0, -1.0)  # signed: collisions cancel
            cell = row * self.dimensions + (h % np.uint64(self.dimensions)).astype(np.intp)
            values = sign * weights[first] * (1.0 + np.log(counts))
            flat = np.bincount(cell, weights=values, minlength=len(part) * self.dimensions)
            rows[start : start + len(part)] = flat.reshape(len(part), self.dimensions)
        return _normalise(rows)

    def _keys(self, texts: list[str]) -> tuple[np.ndarray, np.ndarray]:
        import numpy as np

        folded = [fold(t) for t in texts]
        joined = "\n".join(folded)
        cp = np.frombuffer(joined.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        lengths = np.array([len(t) + 1 for t in folded], dtype=np.intp)
        row = np.repeat(np.arange(len(texts), dtype=np.uint64), lengths)[: len(cp)] << np.uint64(48)
        cjk = (cp >= _CJK_FIRST) & (cp <= _CJK_LAST)
        keys = [(cp | row | np.uint64(1 << 60))[cjk]]
        weights = [np.full(int(cjk.sum()), NGRAM_WEIGHTS[1])]
        if len(cp) >= 2:
            ok = cjk[:-1] & cjk[1:]
            keys.append(((cp[:-1] << np.uint64(16)) | cp[1:] | row[:-1] | np.uint64(2 << 60))[ok])
            weights.append(np.full(int(ok.sum()), NGRAM_WEIGHTS[2]))
        if len(cp) >= 3:
            ok = cjk[:-2] & cjk[1:-1] & cjk[2:]
            tri = (cp[:-2] << np.uint64(32)) | (cp[1:-1] << np.uint64(16)) | cp[2:]
            keys.append((tri | row[:-2] | np.uint64(3 << 60))[ok])
            weights.append(np.full(int(ok.sum()), NGRAM_WEIGHTS[3]))
        words = [(i, w) for i, t in enumerate(folded) for w in _ASCII.findall(t)]
        if words:
            keys.append(np.array([zlib.crc32(w.encode()) | (i << 48) for i, w in words], dtype=np.uint64))
            weights.append(np.full(len(words), ASCII_WEIGHT))
        return np.concatenate(keys), np.concatenate(weights)

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        """Plain texts (no heading known): what a LangChain caller hands over."""
        return self._vectors(texts).tolist() if texts else []

    def embed_query(self, text: str) -> list[float]:
        return self._vectors([text])[0].tolist()


def _normalise(rows: np.ndarray) -> np.ndarray:
    import numpy as np

    norms = np.sqrt(np.einsum("ij,ij->i", rows, rows))
    norms[norms == 0] = 1.0
    return rows / norms[:, None]


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
    return OpenAIEmbeddings(  # LangChain's, which has the Embeddings shape
        model=settings.embeddings_model or "",
        base_url=settings.embeddings_base_url,
        api_key=key or "not-needed",  # type: ignore[arg-type]  # local servers accept any key
        check_embedding_ctx_length=False,  # no tiktoken download; the endpoint tokenises
        timeout=settings.timeout,
        max_retries=settings.max_retries,
    )
