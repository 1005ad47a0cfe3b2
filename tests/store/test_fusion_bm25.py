"""Fusion order and BM25 on a fixed small corpus; the inverted index's segments on disk."""

from __future__ import annotations

import json
import math
import shutil
from collections import Counter
from pathlib import Path

import pytest

from assistant.store import bm25 as bm25_module
from assistant.store.bm25 import BM25Index, count_terms
from assistant.store.fusion import reciprocal_rank_fusion
from assistant.text.tokens import search_terms

DOCS = {
    "1": "车辆燃油使用不规范，加油卡管理混乱",
    "2": "理论学习不深入，学习制度落实不到位",
    "3": "公务车辆管理不规范",
    "4": "公务接待超标准，接待清单不全",
}


def test_rrf_order_on_a_fixed_ranking():
    fused = reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]], k=60)
    assert [d for d, _ in fused] == ["a", "c", "b", "d"]
    assert fused[0][1] == 1 / 61 + 1 / 62


def test_rrf_ties_keep_first_appearance():
    assert [d for d, _ in reciprocal_rank_fusion([["x"], ["y"]])] == ["x", "y"]


def test_tokens_drop_stopwords_and_punctuation():
    assert search_terms("车辆燃油使用不规范的问题。") == ["车辆", "燃油", "使用", "不", "规范"]


def _index(docs: dict[str, str] = DOCS) -> BM25Index:
    index = BM25Index()
    for doc_id, text in docs.items():
        index.add(doc_id, text)
    return index


def _textbook(query: str, docs: dict[str, str], k1: float = 1.5, b: float = 0.5) -> list[tuple[str, float]]:
    """Okapi BM25 written out, for the ranking the index must give."""
    counts = {d: Counter(search_terms(t)) for d, t in docs.items()}
    avg = sum(sum(c.values()) for c in counts.values()) / len(counts)
    out = []
    for d, c in counts.items():
        score = 0.0
        for term in set(search_terms(query)):
            df = sum(1 for other in counts.values() if term in other)
            idf = math.log(1 + (len(counts) - df + 0.5) / (df + 0.5))
            tf = c.get(term, 0)
            score += idf * tf / (tf + k1 * (1 - b + b * sum(c.values()) / avg))
        if score > 0:
            out.append((d, score))
    return sorted(out, key=lambda item: (-item[1], item[0]))


def test_bm25_ranks_and_persists(tmp_path: Path):
    index = _index()
    assert [d for d, _ in index.scores("车辆燃油")] == ["1", "3"]
    index.save(tmp_path / "bm25.json")
    again = BM25Index.load(tmp_path / "bm25.json")
    assert again.scores("车辆燃油") == index.scores("车辆燃油")
    assert [d for d, _ in again.scores("车辆燃油")] == [d for d, _ in _textbook("车辆燃油", DOCS)]
    for (_, got), (_, want) in zip(
        again.scores("公务车辆管理"), _textbook("公务车辆管理", DOCS), strict=True
    ):
        assert got == pytest.approx(want, rel=1e-6)
    again.remove("1")
    assert [d for d, _ in again.scores("车辆燃油")] == ["3"]
    assert again.doc_freq("燃油") == 0 and again.doc_freq("车辆") == 1
    assert len(again) == 3 and "1" not in again and "3" in again


def test_base_on_disk_is_memory_mapped_and_the_delta_is_a_log(tmp_path: Path):
    path = tmp_path / "bm25.json"
    index = _index()
    index.save(path)  # the first save builds the base
    folder = tmp_path / "bm25"
    base = folder / json.loads((folder / "current.json").read_text())["base"]
    assert sorted(p.name for p in base.iterdir()) == [
        "counts.npy", "df.npy", "ids.npy", "meta.json", "model", "offsets.npy", "terms.npy",
    ]  # fmt: skip
    opened = BM25Index.load(path)
    assert type(opened._base.model.scores["data"]).__name__ == "memmap"
    opened.add("5", "公务用车加油卡统一管理")
    opened.remove("2")
    opened.save(path)  # a small delta: appended to the log, the base kept
    assert (folder / "delta.jsonl").is_file()
    assert json.loads((folder / "current.json").read_text())["base"] == base.name
    reopened = BM25Index.load(path)
    assert sorted(reopened.ids()) == ["1", "3", "4", "5"]
    assert [d for d, _ in reopened.scores("加油卡")] == ["5", "1"]
    reopened.merge(path)  # the end of a bulk run: one new base, no log, the old base gone
    assert not (folder / "delta.jsonl").exists()
    assert [p.name for p in folder.glob("base-*")] == [
        json.loads((folder / "current.json").read_text())["base"]
    ]
    assert BM25Index.load(path).scores("加油卡") == reopened.scores("加油卡")


def test_a_large_delta_is_merged_on_save(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(bm25_module, "MERGE_MIN", 2)
    path = tmp_path / "bm25.json"
    index = _index()
    index.save(path)
    first = json.loads((tmp_path / "bm25" / "current.json").read_text())["base"]
    index.add("5", "公务用车加油卡统一管理")
    index.add("6", "办公用房超标准")
    index.save(path)  # 2 new documents against a base of 4: more than a quarter
    assert json.loads((tmp_path / "bm25" / "current.json").read_text())["base"] != first
    assert len(BM25Index.load(path)) == 6


def test_filters_and_limit(tmp_path: Path):
    index = _index()
    index.save(tmp_path / "bm25.json")
    index.add("5", "公务车辆加油")  # one in the delta, the rest in the base
    assert [d for d, _ in index.scores("公务车辆", allowed={"4", "5"})] == ["5", "4"]
    assert [d for d, _ in index.scores("公务车辆", limit=2)] == [d for d, _ in index.scores("公务车辆")][:2]
    assert index.scores("公务车辆", allowed=set()) == []


def test_a_json_index_of_an_earlier_version_is_migrated(tmp_path: Path):
    path = tmp_path / "bm25.json"
    docs = {d: dict(Counter(search_terms(t))) for d, t in DOCS.items()}
    path.write_text(json.dumps({"k1": 1.5, "b": 0.5, "docs": docs}, ensure_ascii=False), encoding="utf-8")
    index = BM25Index.load(path)
    assert [d for d, _ in index.scores("车辆燃油")] == ["1", "3"]
    index.save(path)
    assert json.loads(path.read_text()) == {"format": "bm25s", "folder": "bm25"}  # now a pointer
    assert (tmp_path / "bm25" / "current.json").is_file()
    assert [d for d, _ in BM25Index.load(path).scores("车辆燃油")] == ["1", "3"]


def test_a_pointer_without_its_folder_is_an_error_the_store_rebuilds_from(tmp_path: Path):
    path = tmp_path / "bm25.json"
    _index().save(path)
    shutil.rmtree(tmp_path / "bm25")
    with pytest.raises(ValueError):
        BM25Index.load(path)


def _add_batch(index: BM25Index, docs: dict[str, str]) -> None:
    words, lengths, places, counts = count_terms(list(docs.values()))
    index.add_many(list(docs), lengths, index.term_ids(words)[places], counts)


def test_batches_counted_elsewhere_index_as_single_adds(tmp_path: Path):
    batch, single = BM25Index(), _index()
    _add_batch(batch, DOCS)
    assert len(batch) == 4 and "3" in batch and sorted(batch.ids()) == sorted(DOCS)
    assert batch.save(tmp_path / "b.json")  # no base yet: the batch becomes it
    single.save(tmp_path / "s.json")
    assert batch.scores("公务车辆管理") == single.scores("公务车辆管理")
    more = {"5": "公务用车加油卡统一管理", "6": "办公用房超标准"}
    _add_batch(batch, more)
    assert not batch.save(tmp_path / "b.json")  # fewer than the base: kept in memory, not on disk
    assert len(BM25Index.load(tmp_path / "b.json")) == 4
    assert len(batch) == 6 and "6" in batch
    for doc_id, text in more.items():
        single.add(doc_id, text)
    assert batch.scores("加油卡") == single.scores("加油卡")  # a read turns them into delta documents
    assert batch.doc_freq("加油卡") == single.doc_freq("加油卡") == 2
    _add_batch(batch, {"7": "接待清单管理"})
    batch.remove("7")  # removed while pending
    batch.remove("1")  # and from the base
    single.remove("1")
    batch.merge(tmp_path / "b.json")
    single.merge(tmp_path / "s.json")
    reopened = BM25Index.load(tmp_path / "b.json")
    assert sorted(reopened.ids()) == ["2", "3", "4", "5", "6"]
    for query in ("公务车辆管理", "加油卡", "接待清单"):
        assert reopened.scores(query) == single.scores(query)


def test_pending_batches_are_merged_when_as_many_as_the_base(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(bm25_module, "MERGE_MIN", 2)
    index = BM25Index()
    _add_batch(index, dict(list(DOCS.items())[:2]))
    assert index.save(tmp_path / "b.json")
    _add_batch(index, dict(list(DOCS.items())[2:]))  # 2 pending, 2 in the base: a new base
    assert index.save(tmp_path / "b.json")
    assert len(BM25Index.load(tmp_path / "b.json")) == 4


def test_terms_cut_block_by_block_are_jiebas_terms(notices_dir: Path):
    import jieba

    from assistant.text.fold import fold
    from assistant.text.tokens import _WORD, STOPWORDS

    texts = [p.read_text(encoding="utf-8") for p in sorted(notices_dir.glob("*.txt"))]
    texts += ["ＥＴＣ卡2024年3月15日停用，abc-12.5%；龘\u9fd6字", "", " \n "]
    for text in texts:
        whole = [t for t in jieba.lcut_for_search(fold(text)) if _WORD.search(t) and t not in STOPWORDS]
        assert search_terms(text) == whole


def test_a_base_built_a_few_pairs_at_a_time_is_the_same(tmp_path: Path, monkeypatch):
    whole = _index()
    whole.save(tmp_path / "whole.json")
    monkeypatch.setattr(bm25_module, "_SLICE", 3)
    sliced = _index()
    sliced.save(tmp_path / "sliced.json")
    for query in ("公务车辆管理", "车辆燃油", "接待清单不全"):
        assert BM25Index.load(tmp_path / "sliced.json").scores(query) == whole.scores(query)
