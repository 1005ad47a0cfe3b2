"""The app's Streamlit-free parts: highlighting, tables, the review queue, and upload handling."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from assistant.models import Flag, FlagCode, NoticeResult, Severity, Span
from assistant.pipeline import process_file
from assistant.store import NoticeStore
from assistant.ui.highlight import Mark, highlight_html, marks_of, md_escape
from assistant.ui.importing import import_uploads, safe_name
from assistant.ui.tables import (
    RecordRow,
    claimed_total,
    filter_records,
    flags_by_organisation,
    notice_overview,
    record_index,
    records_table,
    review_queue,
    status_counts,
    subset_results,
    totals_chart,
)


@pytest.fixture(scope="module")
def results(notices_dir: Path) -> list[NoticeResult]:
    return [process_file(p).result for p in sorted(notices_dir.glob("*.txt"))]


# ---- highlighting -----------------------------------------------------------------------------


def test_highlight_escapes_the_text_and_marks_spans_in_notice_offsets() -> None:
    text = "前文<b>1&2</b>\n整改结果：完成。"
    # the window starts at offset 100 of the notice; the mark covers "整改结果：完成"
    html = highlight_html(text, [Mark(113, 120, "flag", "依据")], offset=100)
    assert html == (
        "前文&lt;b&gt;1&amp;2&lt;/b&gt;<br>"
        '<mark class="hl-flag" style="background:#fecaca;color:#7f1d1d;border-radius:2px;padding:0 1px" '
        'title="依据">整改结果：完成</mark>。'
    )


def test_overlapping_marks_split_and_the_stronger_kind_wins() -> None:
    html = highlight_html("abcdef", [Mark(0, 4, "quote"), Mark(2, 6, "flag")])
    assert html.count("<mark") == 3
    assert 'class="hl-quote"' in html.split("<mark")[1] and ">ab</mark>" in html
    assert (
        '<mark class="hl-flag" style="background:#fecaca;color:#7f1d1d;border-radius:2px;padding:0 1px">cd</mark>'
        in html
    )
    assert html.endswith(">ef</mark>")


def test_marks_outside_the_window_are_dropped_and_empty_spans_ignored() -> None:
    assert highlight_html("abc", [Mark(10, 20), Mark(0, 0)], offset=5) == "abc"
    assert marks_of([Span(start=1, end=1), None, Span(start=1, end=3)], "evidence") == [
        Mark(1, 3, "evidence", None)
    ]
    assert highlight_html("$5 元", []) == "&#36;5 元"


def test_md_escape_keeps_notice_text_literal() -> None:
    assert md_escape("[1] *要* $5 :red[x]") == "\\[1\\] \\*要\\* \\$5 \\:red\\[x\\]"
    assert md_escape(None) == ""


# ---- tables -----------------------------------------------------------------------------------


def test_records_table_filters(results: list[NoticeResult]) -> None:
    frame = records_table(results)
    assert len(frame) == 86
    assert len(filter_records(frame, statuses=["阶段性完成"])) == 14
    assert len(filter_records(frame, organisations=["望江县公安局交通管理大队"])) == 30
    assert frame["flags"].map(len).sum() == 10  # flags stay lists of codes: no joining and splitting
    vague = filter_records(frame, flag="vague_completion")
    assert sorted(vague["problem"]) == [
        "交警支队个别民辅警履职能力有待增强",
        "职级晋升任免权限不合规",
        "项目建设实施质量把关不严",
    ]
    assert len(filter_records(frame, flag="__any__")) + len(filter_records(frame, flag="__none__")) == 86
    assert list(filter_records(frame, query="护栏  赔付款")["record_id"]) == ["(二)-10-22)"]
    assert filter_records(frame, query="不存在的词").empty


def test_subset_results_keeps_only_the_rows_shown(results: list[NoticeResult]) -> None:
    first = results[0]
    keys = {
        (first.notice_id, first.records[0].record_id),
        (results[1].notice_id, results[1].records[2].record_id),
    }
    subset = subset_results(results, keys)
    assert [len(r.records) for r in subset] == [1, 1]
    assert subset[0].meta == first.meta and len(first.records) == 9  # the originals are untouched


def test_record_rows_are_typed_and_records_are_found_by_id(results: list[NoticeResult]) -> None:
    frame = records_table(results)
    row = RecordRow.model_validate(frame.iloc[2].to_dict())
    assert (row.notice, row.place, row.problem) == (
        "中共邵阳市公安局交通警察支队委员会 · 2025年3月21日",
        "二、（一）3.",
        "交警支队个别民辅警履职能力有待增强",
    )
    assert row.flags == ["vague_completion", "generic_only"]
    assert row.flag_labels == ["声称完成但措施空泛", "措施均为一般性表述"]
    index = record_index(results)
    result, record = index[row.key]
    assert (result.notice_id, record.record_id) == row.key and record.problem == row.problem


def test_review_queue_has_one_item_per_record_most_severe_first(results: list[NoticeResult]) -> None:
    queue = review_queue(results)
    assert len(queue) == 7  # 10 flags on 7 records
    assert [i.severity.value for i in queue[:3]] == ["high"] * 3
    assert [(i.source_name[:3], i.record_id, i.codes) for i in queue[:3]] == [
        ("000", "(一)-3", ["vague_completion", "generic_only"]),
        ("000", "(三)-8", ["vague_completion", "generic_only"]),
        ("004", "(2)-3", ["vague_completion", "generic_only"]),
    ]
    assert all(i.severity.value == "medium" and i.codes == ["generic_only"] for i in queue[3:])
    first = queue[0]
    assert [k.code for k in first.keys] == ["vague_completion", "generic_only"]
    assert {k.problem for k in first.keys} == {"交警支队个别民辅警履职能力有待增强"}
    assert first.labels == ["声称完成但措施空泛", "措施均为一般性表述"]
    assert first.place == "中共邵阳市公安局交通警察支队委员会 · 2025年3月21日 · 二、（一）3."
    assert first.window == next(r for r in results[0].records if r.record_id == "(一)-3").source_span


def test_notice_level_flags_join_the_queue_with_the_totals_sentence(results: list[NoticeResult]) -> None:
    first = results[0]
    totals = first.meta.totals
    flag = Flag(
        code=FlagCode.TOTALS_MISMATCH,
        severity=Severity.MEDIUM,
        reason="通报汇总数字与正文不一致。",
        spans=[totals.span],
    )
    queue = review_queue([first.model_copy(update={"flags": [flag]})])
    (item,) = [i for i in queue if i.record_id is None]
    assert (item.codes, item.problem, [k.problem for k in item.keys], item.window) == (
        ["totals_mismatch"],
        None,
        [""],
        totals.span,
    )
    assert item.place == "中共邵阳市公安局交通警察支队委员会 · 2025年3月21日 · 全文"
    assert [i.severity.value for i in queue] == ["high", "high", "medium"]
    assert queue[2].record_id is None
    assert notice_overview([first.model_copy(update={"flags": [flag]})])["汇总核对"].tolist() == ["不符"]


def test_notice_overview_compares_the_matching_level_of_totals(results: list[NoticeResult]) -> None:
    table = notice_overview(results)
    assert list(table["通报称问题数"]) == ["9", "—", "—", "15", "—"]
    assert list(table["发布日期"]) == [
        "2025年3月21日",
        "日期未注明",
        "2023年10月19日",
        "2025年6月12日",
        "2024年6月3日",
    ]
    assert (
        list(totals_chart(results).index)[4]
        == "中共新野县交通运输局党组 · 2024年6月3日 · 十三届县委第八轮巡察"
    )
    assert list(table["汇总核对"]) == ["相符", "未写汇总", "未写汇总", "相符", "未写汇总"]
    assert claimed_total(results[3]) == 15  # "15个问题43个具体问题": the records are listed per problem
    assert list(status_counts(records_table(results))["状态"]) == ["完成", "阶段性完成", "推进中", "未说明"]
    by_org = flags_by_organisation(results)
    assert int(by_org.to_numpy().sum()) == 10
    assert list(by_org.columns) == ["声称完成但措施空泛", "措施均为一般性表述"]
    assert by_org.loc["中共邵阳市公安局交通警察支队委员会", "声称完成但措施空泛"] == 2


# ---- uploads ----------------------------------------------------------------------------------


def test_safe_name_keeps_the_base_name_only() -> None:
    assert safe_name("../../etc/通报.txt") == "通报.txt"
    assert safe_name("C:\\Users\\a\\通报:1.txt") == "通报_1.txt"
    assert safe_name("...") == "upload.txt"


def test_import_uploads_reports_each_file_and_keeps_the_good_ones(
    tmp_path: Path, sample_text: Callable[[str], str]
) -> None:
    store = NoticeStore.open(path=tmp_path / "store")
    seen: list[tuple[int, int, str, bool]] = []
    gbk = sample_text("004").encode("gbk")
    report = import_uploads(
        [("新野_gbk.txt", gbk), ("空白.txt", b""), ("坏的.pdf", b"%PDF-1.4 broken")],
        store,
        on_file=lambda i, n, o: seen.append((i, n, o.name, o.ok)),
    )
    assert seen == [(1, 3, "新野_gbk.txt", True), (2, 3, "空白.txt", False), (3, 3, "坏的.pdf", False)]
    (good,) = report.succeeded
    assert (good.action, good.records, good.flagged) == ("added", 8, 4)
    assert [o.name for o in report.failed] == ["空白.txt", "坏的.pdf"]
    assert [o.error for o in report.failed] == [
        "文件为空：空白.txt。请检查文件是否完整。",
        "PDF 文件已损坏或无法解析：坏的.pdf（PdfStreamError）。请重新导出 PDF，或另存为文本后再导入。",
    ]
    assert [n.source_name for n in store.notices()] == ["新野_gbk.txt"]
    # kept by content hash: uploads/<hash>/<name>
    (kept,) = (tmp_path / "store" / "uploads").glob("*/*")
    assert kept.name == "新野_gbk.txt" and kept.read_bytes() == gbk and len(kept.parent.name) == 16

    # the same file again changes nothing; a new version under the same name replaces the old notice
    assert import_uploads([("新野_gbk.txt", gbk)], store).outcomes[0].action == "unchanged"
    changed = (sample_text("004") + "\n附：联系电话 0000。\n").encode("gbk")
    (again,) = import_uploads([("新野_gbk.txt", changed)], store).outcomes
    assert again.action == "replaced"
    assert len(store.manifest) == 1


def test_overview_says_why_a_notice_gave_no_records() -> None:
    from assistant.ingest import notice_from_text
    from assistant.pipeline import process_notice

    text = "某局关于巡察反馈情况的通报\n一、巡察发现的问题\n1.财务管理不规范。部分凭证不全。\n2.会议记录缺失。部分会议未记录。\n"
    result = process_notice(notice_from_text(text, "feedback.txt"))
    (row,) = notice_overview([result]).to_dict("records")
    assert row["抽取到的记录"] == 0 and row["通报提示"].startswith("未抽取到整改记录：识别到")
    assert [i.codes for i in review_queue([result])] == [["no_records"]]


def test_two_uploads_of_the_same_name_are_two_notices(
    tmp_path: Path, sample_text: Callable[[str], str]
) -> None:
    store = NoticeStore.open(path=tmp_path / "store")
    report = import_uploads(
        [("通报.txt", sample_text("000").encode()), ("通报.txt", sample_text("004").encode())], store
    )
    assert [o.ok for o in report.outcomes] == [True, True]
    assert len({o.notice_id for o in report.outcomes}) == 2
    assert len(list((tmp_path / "store" / "uploads").glob("*/通报.txt"))) == 2


def test_the_uploaders_limit_is_the_loaders() -> None:
    import tomllib

    from assistant.cli.app_cmd import MAX_UPLOAD_MB, streamlit_command
    from assistant.ingest.loaders import MAX_BYTES

    config = tomllib.loads((Path(__file__).resolve().parents[2] / ".streamlit" / "config.toml").read_text())
    assert MAX_UPLOAD_MB == MAX_BYTES // (1024 * 1024) == config["server"]["maxUploadSize"] == 20
    cmd = streamlit_command(Path("app.py"), 8501, None)
    assert cmd[cmd.index("--server.maxUploadSize") + 1] == "20"
