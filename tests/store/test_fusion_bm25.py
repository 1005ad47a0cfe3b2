"""Fusion order and BM25 on a fixed small corpus."""

from __future__ import annotations

from pathlib import Path

from assistant.store.bm25 import BM25Index
from assistant.store.fusion import reciprocal_rank_fusion
from assistant.text.tokens import search_terms


def test_rrf_order_on_a_fixed_ranking():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [d for d, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_rrf_ties_keep_first_appearance():
    assert [d for d, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]


def test_tokens_drop_stopwords_and_punctuation():
    assert search_terms("车辆燃油使用不规范的问题。") == ["车辆", "燃油", "使用", "不", "规范"]


def test_bm25_ranks_and_persists(tmp_path: Path):
    index = BM25Index()
    index.add("1", "车辆燃油使用不规范，加油卡管理混乱")
    index.add("2", "理论学习不深入，学习制度落实不到位")
    index.add("3", "公务车辆管理不规范")
    assert [d for d, _ in index.scores("车辆燃油")] == ["1", "3"]
    index.save(tmp_path / "bm25.json")
    again = BM25Index.load(tmp_path / "bm25.json")
    assert again.scores("车辆燃油") == index.scores("车辆燃油")
    again.remove("1")
    assert [d for d, _ in again.scores("车辆燃油")] == ["3"]
    assert "燃油" not in again.df
