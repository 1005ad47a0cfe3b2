"""The offline answer's weights come from the keyword index, and it reads only the hit records."""

from __future__ import annotations

from pathlib import Path

from assistant.qa.evidence import GROUP, IndexIdf, corpus_idf
from assistant.qa.retrieval import notice_names, stored_names
from assistant.store.bm25 import BM25Index

DOCS = {
    "1": "车辆燃油使用不规范，加油卡管理混乱",
    "2": "理论学习不深入，学习制度落实不到位",
    "3": "公务车辆管理不规范",
    "4": "公务接待超标准，接待清单不全",
}


def _index() -> BM25Index:
    index = BM25Index()
    for doc_id, text in DOCS.items():
        index.add(doc_id, text)
    return index


def _brute(index_docs: dict[str, str], *terms: str) -> int:
    from assistant.text.tokens import search_terms

    return sum(1 for text in index_docs.values() if set(terms) <= set(search_terms(text)))


def test_doc_freq_of_several_terms_in_base_and_delta(tmp_path: Path) -> None:
    index = _index()
    for terms in [("车辆", "管理"), ("公务", "车辆"), ("学习", "制度"), ("车辆", "学习"), ("管理",)]:
        assert index.doc_freq_all(terms) == _brute(DOCS, *terms)  # delta only
    index.save(tmp_path / "bm25.json")
    again = BM25Index.load(tmp_path / "bm25.json")
    assert again.doc_freq_all(["车辆", "管理"]) == 2  # base only
    again.add("5", "公务车辆管理混乱")  # the delta joins the base
    assert again.doc_freq_all(["车辆", "管理"]) == 3
    again.remove("1")  # a removed base document no longer counts
    assert again.doc_freq_all(["车辆", "管理"]) == 2
    assert again.doc_freq_all(["车辆", "无人机"]) == 0
    assert again.doc_freq_all(["车辆"]) == again.doc_freq("车辆")


def test_index_idf_agrees_with_the_store(sample_store) -> None:
    idf = corpus_idf(sample_store)
    assert isinstance(idf, IndexIdf) and corpus_idf(sample_store) is idf  # cached while unchanged
    assert idf.size == len(sample_store.chunk_ids())
    assert idf.df("加油卡") == sample_store.doc_freq("加油卡") > 0
    assert idf.df("无人机") == 0 and idf("无人机") > idf("加油卡")
    both = idf.df(f"加油卡{GROUP}公务")
    assert 0 < both <= min(idf.df("加油卡"), idf.df("公务"))


def test_stored_names_match_the_results(sample_store) -> None:
    assert stored_names(sample_store) == notice_names(sample_store.results())


def test_get_records_reads_the_rows_asked_for(sample_store) -> None:
    result = sample_store.results()[0]
    wanted = {(result.notice_id, r.record_id) for r in result.records[:2]}
    got = sample_store.get_records([*wanted, (result.notice_id, "no-such-record")])
    assert set(got) == wanted
    by_id = {r.record_id: r for r in result.records}
    assert all(got[key] == by_id[key[1]] for key in wanted)


def test_heads_are_the_results_without_their_records(sample_store) -> None:
    results = sample_store.results()
    heads = sample_store.heads()
    assert [(h.notice_id, h.source_name, h.meta, h.records) for h in heads] == [
        (r.notice_id, r.source_name, r.meta, len(r.records)) for r in results
    ]


def test_query_records_filters_by_the_table_columns(sample_store) -> None:
    everything = [(r.notice_id, rec) for r in sample_store.results() for rec in r.records]
    assert sample_store.query_records() == everything
    partial = sample_store.query_records(statuses=["阶段性完成"])
    assert partial == [(n, rec) for n, rec in everything if rec.status.value == "阶段性完成"] and partial
    flagged = sample_store.query_records(any_flag=True)
    assert flagged == [(n, rec) for n, rec in everything if rec.flags] and flagged
    code = flagged[0][1].flags[0].code
    assert sample_store.query_records(flags=[str(code)]) == [
        (n, rec) for n, rec in everything if code in rec.flag_codes
    ]
    one = everything[0][0]
    assert sample_store.query_records([one]) == [(n, rec) for n, rec in everything if n == one]
    assert sample_store.query_records(keep=lambda raw: "罚款" in raw) == [
        (n, rec) for n, rec in everything if "罚款" in rec.model_dump_json()
    ]
