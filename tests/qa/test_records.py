"""Set and count questions answered from the records table, each record cited by its chunk."""

from __future__ import annotations

from assistant.models import Status
from assistant.qa import answer
from assistant.qa.records import parse_records_query


def test_partial_completions_in_one_notice(sample_store) -> None:
    a = answer("邵阳交警支队有哪些问题是阶段性完成的？", sample_store)
    assert a.mode == "records"
    assert a.grounded is True
    assert "阶段性完成”的问题共1个（共抽取9条记录）" in a.text
    assert "1. 基层党组织建设存在短板（阶段性完成）[1]" in a.text
    # the notice's own claim is quoted beside the count
    assert "“巡察反馈的9个具体问题，整改完成8个，阶段性完成1个”[2]" in a.text
    assert [c.record_id for c in a.citations] == ["(三)-9", None]


def test_partial_completions_over_all_samples_match_the_records_table(sample_store) -> None:
    partial = [r for r in sample_store.records() if r.status == Status.PARTIAL]
    a = answer("哪些问题是阶段性完成的？", sample_store)
    assert a.mode == "records"
    assert f"全部 5 份通报中状态为“阶段性完成”的问题共{len(partial)}个（共抽取86条记录）" in a.text
    assert len(a.citations) == len(partial)
    assert {(c.notice_id, c.record_id) for c in a.citations} == {(r.notice_id, r.record_id) for r in partial}
    assert "基层党组织建设存在短板" in a.text and "巡察整改不彻底" in a.text


def test_flagged_count_for_one_unit(sample_store) -> None:
    a = answer("新野县交通运输局有多少个问题被标记为存疑？", sample_store)
    assert a.mode == "records"
    assert "被标记为存疑的问题共4个" in a.text
    assert "4. 项目建设实施质量把关不严（完成，标记：vague_completion、generic_only）[4]" in a.text
    assert [c.record_id for c in a.citations] == ["(一)-1", "(一)-5", "(2)-1", "(2)-3"]
    assert {c.source_name for c in a.citations} == {"004_fb4d16d8d0ed6c2d.txt"}
    # every measure of 张家界's records holds a specific: nothing to flag there
    none = answer("张家界交警支队有多少个问题被标记为存疑？", sample_store)
    assert "被标记为存疑的问题共0个" in none.text


def test_vague_completion_question(sample_store) -> None:
    a = answer("邵阳交警支队哪些号称整改完成的问题措施空泛？", sample_store)
    assert a.mode == "records"
    assert "职级晋升任免权限不合规（完成，标记：vague_completion、generic_only）" in a.text


def test_what_counts_as_a_records_question(sample_store) -> None:
    results = sample_store.results()
    q = parse_records_query("邵阳交警支队共有多少个问题整改完成？", results)
    assert q is not None
    assert (q.kind, q.status, q.flag) == ("count", Status.COMPLETED, None)
    assert q.notice_ids == [r.notice_id for r in results if r.source_name.startswith("000")]
    q = parse_records_query("望江交管大队的通报一共列了多少个具体问题？", results)
    assert q is not None and q.status is None and q.flag is None
    # counting bridges, not problems; and an ordinary fact question
    assert parse_records_query("新野县完成了多少座危桥改建？", results) is None
    assert parse_records_query("望江县目前有多少台制式校车？", results) is None


def test_organisation_filter_narrows_the_records_table(sample_store) -> None:
    from assistant.store import SearchFilters

    a = answer("有多少个问题被标记为存疑？", sample_store, filters=SearchFilters(organisation="新野"))
    assert a.mode == "records"
    assert a.text.startswith(
        "按抽取的记录表，中共新野县交通运输局党组中被标记为存疑的问题共4个（共抽取8条记录）。"
    )
    assert {c.source_name for c in a.citations} == {"004_fb4d16d8d0ed6c2d.txt"}
