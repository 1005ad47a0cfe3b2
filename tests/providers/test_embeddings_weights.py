"""The offline embedding weighs n-grams linearly: bigrams and trigrams carry the meaning."""

from __future__ import annotations

from assistant.providers.embeddings import NGRAM_WEIGHTS, HashedNgramEmbeddings


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_name_and_size_name_the_vector_space():
    e = HashedNgramEmbeddings()
    assert e.model_name == "hashed-ngram-v3-4096"
    assert len(e.embed_query("公务用车")) == 4096
    assert e.model_name != HashedNgramEmbeddings(dimensions=1024).model_name


def test_shared_words_count_more_than_shared_characters():
    e = HashedNgramEmbeddings()
    q, word, chars = e.embed_documents(["赔付款", "中央隔离护栏赔付款上交国库", "付出赔偿款项"])
    # same three characters each time, but only the first document has them as a word
    assert _dot(q, word) > _dot(q, chars)
    assert NGRAM_WEIGHTS[1] < NGRAM_WEIGHTS[2] == NGRAM_WEIGHTS[3]
