"""整改记录: every extracted record in a filterable table, one record in detail with its evidence
highlighted in the source, and downloads (CSV, Excel, JSON) of exactly the rows shown."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from assistant.export import to_bytes
from assistant.export.people import place
from assistant.models import NoticeResult, Record
from assistant.naming import NoticeName
from assistant.ui import data
from assistant.ui.highlight import Mark, highlight_html, legend_html, marks_of, md_escape, passage_box
from assistant.ui.labels import EVIDENCE_LABELS, FLAG_LABELS, SEVERITY_BADGES, STATUS_ORDER
from assistant.ui.state import get_context
from assistant.ui.tables import filter_records, subset_results

ANY_FLAG, NO_FLAG = "__any__", "__none__"
FLAG_CHOICES = {"": "全部", ANY_FLAG: "有任何存疑标记", NO_FLAG: "无标记", **FLAG_LABELS}
DISPLAY_COLUMNS = {
    "problem": "问题",
    "status": "状态",
    "flag_labels": "存疑标记",
    "measure_count": "措施数",
    "concrete": "有可核查证据",
    "unit": "单位",
    "notice": "通报",
    "place": "位置",
    "category": "类别",
    "source_name": "文件",
}
COLUMN_CONFIG = {
    "问题": st.column_config.TextColumn(width="large"),
    "状态": st.column_config.TextColumn(width="small"),
    "存疑标记": st.column_config.ListColumn(width="medium"),
    "措施数": st.column_config.NumberColumn(width="small"),
    "有可核查证据": st.column_config.CheckboxColumn(width="small"),
}
DOWNLOADS = [
    ("csv", "下载 CSV", "records.csv", "text/csv"),
    (
        "xlsx",
        "下载 Excel",
        "records.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("json", "下载 JSON", "records.json", "application/json"),
]


def _display(frame: pd.DataFrame) -> pd.DataFrame:
    shown = frame[list(DISPLAY_COLUMNS)].rename(columns=DISPLAY_COLUMNS)
    shown["状态"] = shown["状态"].map(str)
    return shown


def _export(results: list[NoticeResult], fmt: str) -> bytes:
    return to_bytes(results, fmt, reviews=get_context().reviews)  # type: ignore[arg-type]


def record_marks(record: Record) -> list[Mark]:
    marks = marks_of([record.problem_span], "problem") + marks_of([record.status_span], "status")
    for e in record.evidence:
        marks += marks_of([e.span], "evidence", EVIDENCE_LABELS.get(e.type.value, e.type.value))
    for f in record.flags:
        marks += marks_of(f.spans, "flag", FLAG_LABELS.get(f.code.value, f.code.value))
    return marks


def render_detail(result: NoticeResult, record: Record) -> None:
    st.subheader(md_escape(record.problem))
    name = NoticeName.of_result(result)
    meta = [
        f"**通报**：{md_escape(name.label)}",
        f"**位置**：{md_escape(place(record))}",
        f"**文件**：{md_escape(name.file)}",
    ]
    if record.category:
        meta.append(f"**类别**：{md_escape(record.category)}")
    if record.parent_problem:
        meta.append(f"**上级问题**：{md_escape(record.parent_problem)}")
    meta.append(
        f"**状态**：{record.status.value}"
        + (f"（原文：“{md_escape(record.status_text)}”）" if record.status_text else "")
    )
    if record.deadline:
        meta.append(f"**期限**：{md_escape(record.deadline)}")
    st.markdown("　".join(meta))
    for f in record.flags:
        badge = SEVERITY_BADGES.get(f.severity.value, "")
        st.warning(
            f"{badge} **{FLAG_LABELS.get(f.code.value, f.code.value)}**：{md_escape(f.reason)}",
            icon=":material/flag:",
        )
    if record.judgement:
        j = record.judgement
        verdict = "措施空泛" if j.vague else "措施具体"
        st.info(f"大模型复核（{md_escape(j.model or j.source)}）：{verdict}。{md_escape(j.reason)}")

    st.markdown(f"**整改措施**（{len(record.measures)} 项）")
    for i, m in enumerate(record.measures, 1):
        chips = "；".join(
            f"{EVIDENCE_LABELS.get(e.type.value, e.type.value)}：{md_escape(e.text)}" for e in m.evidence
        )
        st.markdown(
            f"{i}. {md_escape(m.text)}"
            + (f"  \n　　:green[证据：{chips}]" if chips else "  \n　　:gray[无可核查证据]")
        )
    text = data.notice_text(result.notice_id)
    if text is not None:
        span = record.source_span
        st.markdown("**原文**")
        st.markdown(legend_html(["problem", "status", "evidence", "flag"]), unsafe_allow_html=True)
        body = highlight_html(span.slice(text), record_marks(record), offset=span.start)
        st.markdown(
            passage_box(body, f"{name.label}　{place(record)}（{name.file}）"), unsafe_allow_html=True
        )
    if record.unaligned:
        st.caption("大模型给出但在原文中找不到、已丢弃的内容：" + md_escape("；".join(record.unaligned)))


def render() -> None:
    st.title("整改记录")
    frame = data.records_table()
    if frame.empty:
        st.info("还没有整改记录：请先在“导入”页上传通报。")
        return
    c1, c2, c3, c4 = st.columns([3, 2, 2, 3])
    orgs = sorted(frame["unit"].unique())
    organisations = c1.multiselect("单位", orgs, key="rec_orgs", placeholder="全部单位")
    statuses = c2.multiselect("状态", STATUS_ORDER, key="rec_status", placeholder="全部状态")
    flag = c3.selectbox("存疑标记", list(FLAG_CHOICES), format_func=FLAG_CHOICES.__getitem__, key="rec_flag")
    query = c4.text_input("搜索问题、措施原文", key="rec_query", placeholder="如：护栏 赔付")
    shown = filter_records(
        frame, organisations=organisations, statuses=statuses, flag=flag or None, query=query
    )
    st.caption(f"共 {len(frame)} 条记录，当前显示 {len(shown)} 条")
    st.dataframe(_display(shown), hide_index=True, height=360, column_config=COLUMN_CONFIG)

    keys = set(zip(shown["notice_id"], shown["record_id"], strict=True))
    subset = subset_results(data.results(), keys)
    cols = st.columns(len(DOWNLOADS) + 2)
    for col, (fmt, label, name, mime) in zip(cols, DOWNLOADS, strict=False):
        col.download_button(
            label,
            data=partial(_export, subset, fmt),
            file_name=name,
            mime=mime,
            key=f"dl-{fmt}",
            on_click="ignore",
            disabled=shown.empty,
        )

    if shown.empty:
        return
    st.divider()
    options = list(zip(shown["notice_id"], shown["record_id"], strict=True))
    labels = dict(
        zip(options, shown["problem"] + "（" + shown["notice"] + " · " + shown["place"] + "）", strict=True)
    )
    picked = st.selectbox("查看记录详情", options, format_func=labels.__getitem__, key="rec_detail")
    found = data.find_record(*picked) if picked else None
    if found:
        render_detail(*found)


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import records as _page

    _page.render()
