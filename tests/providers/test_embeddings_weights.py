"""The offline embedding weighs n-grams linearly: bigrams and trigrams carry the meaning."""

from __future__ import annotations

from assistant.providers.embeddings import NGRAM_WEIGHTS, HashedNgramEmbeddings


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_name_and_size_name_the_vector_space():
    e = HashedNgramEmbeddings()
    assert e.model_name == "hashed-ngram-v4-512"
    assert len(e.embed_query("公务用车")) == 512
    assert e.model_name != HashedNgramEmbeddings(dimensions=1024).model_name


def test_shared_words_count_more_than_shared_characters():
    e = HashedNgramEmbeddings()
    q, word, chars = e.embed_documents(["赔付款", "中央隔离护栏赔付款上交国库", "付出赔偿款项"])
    # same three characters each time, but only the first document has them as a word
    assert _dot(q, word) > _dot(q, chars)
    assert NGRAM_WEIGHTS[1] < NGRAM_WEIGHTS[2] == NGRAM_WEIGHTS[3]


def test_a_heading_weighs_once_more_than_the_body():
    e = HashedNgramEmbeddings()
    body = "执法不规范问题。一是开展执法培训3次；二是修订《执法规范》；三是基层党建工作得到加强。"
    (q,) = e.embed_matrix(["执法不规范"])
    plain, headed, other = e.embed_matrix([body] * 3, ["", "执法不规范", "基层党建工作"])
    assert float(q @ headed) > float(q @ plain) > float(q @ other)
    assert abs(float(headed @ headed) - 1.0) < 1e-6
