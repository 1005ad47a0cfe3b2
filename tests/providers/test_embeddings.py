"""Offline embeddings: deterministic, normalised, similar texts close; the factory picks by settings."""

from __future__ import annotations

import math
import subprocess
import sys

from langchain_openai import OpenAIEmbeddings

from assistant.providers.embeddings import HashedNgramEmbeddings, make_embeddings
from assistant.settings import Settings


def _dot(a: list[float], b: list[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def test_vectors_are_normalised_and_similar_texts_are_close():
    e = HashedNgramEmbeddings()
    a, b, c = e.embed_documents(["车辆燃油使用不规范", "公务车辆加油不规范问题", "干部理论学习不深入"])
    assert math.isclose(_dot(a, a), 1.0, rel_tol=1e-9)
    assert _dot(a, b) > 0.2 > 0.05 > _dot(a, c)


def test_vectors_are_the_same_in_another_process():
    code = "from assistant.providers.embeddings import HashedNgramEmbeddings as H; print(H().embed_query('公务用车')[:8])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == str(HashedNgramEmbeddings().embed_query("公务用车")[:8])


def test_factory_offline_and_endpoint():
    assert isinstance(make_embeddings(Settings()), HashedNgramEmbeddings)
    remote = make_embeddings(Settings(embeddings_base_url="http://127.0.0.1:9/v1", embeddings_model="bge-m3"))
    assert isinstance(remote, OpenAIEmbeddings) and remote.model == "bge-m3"
