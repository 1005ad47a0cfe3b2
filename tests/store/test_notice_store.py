"""The real persistent store on the sample notices: persistence, idempotence, removal, filters."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from assistant.pipeline import index_files, process_file
from assistant.store import NoticeStore, SearchFilters

TOTAL_CHUNKS = 18 + 36 + 26 + 24 + 14


def test_everything_survives_a_reopen(store: NoticeStore, tmp_path: Path):
    before = store.stats()
    hits = [h.chunk.chunk_id for h in store.search("车辆燃油使用不规范", k=5)]
    reopened = NoticeStore.open(path=tmp_path / "store")
    after = reopened.stats()
    assert (after.notices, after.records, after.chunks, after.vectors, after.bm25_documents) == (
        5,
        86,
        TOTAL_CHUNKS,
        TOTAL_CHUNKS,
        TOTAL_CHUNKS,
    )
    assert after == before
    assert [h.chunk.chunk_id for h in reopened.search("车辆燃油使用不规范", k=5)] == hits
    assert reopened.records() == store.records()


def test_adding_the_same_notice_twice_changes_nothing(store: NoticeStore, processed_samples):
    ids = store.chunk_ids()
    results = [store.add(p) for p in processed_samples]
    assert {r.action for r in results} == {"unchanged"}
    assert store.chunk_ids() == ids
    assert store.vectors.count() == TOTAL_CHUNKS


def test_removing_a_notice_removes_its_chunks_vectors_and_records(store: NoticeStore, tmp_path: Path):
    notice_id = store.resolve("004")
    assert notice_id is not None
    assert store.remove(notice_id)
    assert not store.remove(notice_id)
    stats = NoticeStore.open(path=tmp_path / "store").stats()
    assert (stats.notices, stats.records, stats.chunks, stats.vectors) == (
        4,
        78,
        TOTAL_CHUNKS - 14,
        TOTAL_CHUNKS - 14,
    )
    assert all(h.chunk.notice_id != notice_id for h in store.search("网约车审批", k=10))


def test_a_new_version_of_the_same_file_replaces_the_old(tmp_path: Path, sample_text):
    store = NoticeStore.open(path=tmp_path / "s")
    path = tmp_path / "notice.txt"
    path.write_text(sample_text("000"), encoding="utf-8")
    first = store.add(process_file(path))
    path.write_text(
        sample_text("000").replace("整改结果", "整改结果", 1) + "\n补充说明：已更新。", encoding="utf-8"
    )
    second = store.add(process_file(path))
    assert (first.action, second.action, second.replaced_notice_id) == ("added", "replaced", first.notice_id)
    assert [n.notice_id for n in store.notices()] == [second.notice_id]


def test_search_puts_the_record_first(store: NoticeStore):
    (top, *_) = store.search("车辆燃油使用不规范", k=3)
    assert (top.chunk.source_name[:3], top.chunk.record_id, top.rank) == ("000", "(二)-5", 1)
    assert top.vector_rank == 1 and top.bm25_rank == 1
    (top, *_) = store.search("网约车审批", k=3)
    assert (top.chunk.source_name[:3], top.chunk.record_id) == ("004", "(一)-1")


def test_filters_by_organisation_status_flag_and_date(store: NoticeStore):
    org = store.search("执法", k=10, filters=SearchFilters(organisation="张家界"))
    assert org and {h.chunk.source_name[:3] for h in org} == {"003"}
    done = store.search("整改", k=20, filters=SearchFilters(status="完成"))
    assert len(done) == 12 and {h.chunk.status for h in done} == {"完成"}
    vague = store.search("整改", k=20, filters=SearchFilters(flag="vague_completion"))
    assert sorted(h.chunk.record_id for h in vague) == ["(2)-3", "(一)-3", "(三)-8"]
    recent = store.search("整改", k=50, filters=SearchFilters(date_from=dt.date(2025, 1, 1)))
    assert {h.chunk.published for h in recent} == {"2025-03-21", "2025-06-12"}
    assert store.search("整改", filters=SearchFilters(organisation="不存在的单位")) == []


def test_index_files_reports_a_bad_file_and_indexes_the_rest(tmp_path: Path, notices_dir: Path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(
        (notices_dir / "000_097681a73ff5d2da.txt").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (folder / "b.txt").write_bytes(b"")
    store = NoticeStore.open(path=tmp_path / "s")
    report = index_files([folder], store)
    assert [a.source_name for a in report.added] == ["a.txt"]
    assert [Path(e.path).name for e in report.errors] == ["b.txt"]


def test_collections_are_kept_apart_per_embedding_model(tmp_path: Path, processed_samples):
    from assistant.providers.embeddings import HashedNgramEmbeddings

    small = NoticeStore.open(path=tmp_path / "s", embeddings=HashedNgramEmbeddings(dimensions=256))
    small.add(processed_samples[0])
    big = NoticeStore.open(path=tmp_path / "s")
    assert small.vectors.name != big.vectors.name
    assert big.vectors.count() == 18  # healed from the stored chunks into its own collection
    assert big.vectors.collection._embedding_function is None  # never Chroma's downloading default


def test_bulk_adds_are_searchable_after_the_block_and_a_lost_index_heals(tmp_path: Path, processed_samples):
    store = NoticeStore.open(path=tmp_path / "s")
    with store.bulk():
        for p in processed_samples:
            store.add(p)
    assert store.vectors.count() == TOTAL_CHUNKS
    assert store.search("车辆燃油使用不规范", k=1)[0].chunk.record_id == "(二)-5"
    store.bm25_path.unlink()  # as if the process died before the BM25 file was written
    healed = NoticeStore.open(path=tmp_path / "s")
    assert len(healed.bm25) == TOTAL_CHUNKS
    assert healed.search("车辆燃油使用不规范", k=1)[0].bm25_rank == 1


def test_same_file_name_from_another_folder_is_another_notice(
    tmp_path: Path, sample_text, monkeypatch
) -> None:
    from assistant.pipeline import process_file

    store = NoticeStore.open(path=tmp_path / "store")
    for folder, prefix in (("orgA", "000"), ("orgB", "004")):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "通报.txt").write_text(sample_text(prefix), encoding="utf-8")
    first = store.add(process_file(tmp_path / "orgA" / "通报.txt"))
    monkeypatch.chdir(tmp_path / "orgB")
    second = store.add(process_file("通报.txt"))  # a relative path, in another folder
    assert (first.action, second.action) == ("added", "added")
    assert len(store.manifest) == 2 and sum(n.records for n in store.notices()) == 9 + 8
    # the same file by a relative and an absolute path is one notice
    monkeypatch.chdir(tmp_path)
    assert store.add(process_file("orgA/通报.txt")).action == "unchanged"
    # a new version of the same document at the same place replaces the old one
    (tmp_path / "orgA" / "通报.txt").write_text(
        sample_text("000") + "\n附：联系电话 0000。\n", encoding="utf-8"
    )
    assert store.add(process_file(tmp_path / "orgA" / "通报.txt")).action == "replaced"
    assert len(store.manifest) == 2


def test_prepared_notices_match_single_adds_and_a_reader_sees_them_mid_run(
    tmp_path: Path, processed_samples, store: NoticeStore
):
    from assistant.store.prepare import prepare

    batched = NoticeStore.open(path=tmp_path / "b")
    items = [prepare(p, batched.vectors.embeddings) for p in processed_samples]
    with batched.bulk():
        assert [r.action for r in batched.add_prepared(items[:3])] == ["added"] * 3
        batched._flush()  # inside the run: the keyword documents may still be in memory only
        reader = NoticeStore.open(path=tmp_path / "b")  # another process's view, mid-run
        assert len(reader.bm25) == sum(len(p.chunks) for p in items[:3])
        again = batched.add_prepared(items)  # the first three again, two new
        assert [r.action for r in again] == ["unchanged"] * 3 + ["added"] * 2
    fields = {"notices", "records", "chunks", "vectors", "bm25_documents", "status_counts", "flag_counts"}
    assert batched.stats().model_dump(include=fields) == store.stats().model_dump(include=fields)
    assert sorted(batched.bm25.ids()) == sorted(store.bm25.ids())
    for query in ("车辆燃油使用不规范", "张家界交警支队 执法不规范", "公务用车"):
        assert [h.chunk.chunk_id for h in batched.search(query)] == [
            h.chunk.chunk_id for h in store.search(query)
        ]
