"""概览: per notice, the totals it claims against the records found; the status distribution;
flags by organisation."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.ui import data, tables
from assistant.ui.state import get_context


@st.cache_data(show_spinner=False, max_entries=8)
def _frames(version: str) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    results = data.results()
    return (
        tables.notice_overview(results),
        tables.totals_chart(results),
        tables.flags_by_organisation(results),
    )


def render() -> None:
    st.title("概览")
    frame = data.records_table()
    if frame.empty:
        st.info("还没有整改记录：请先在“导入”页上传通报。")
        return
    notices, totals, by_org = _frames(get_context().version())
    c = st.columns(4)
    c[0].metric("通报", len(notices))
    c[1].metric("整改记录", len(frame))
    c[2].metric("存疑记录", int((frame["flags"].map(len) > 0).sum()))
    mismatched = int((notices["汇总核对"] == "不符").sum())
    c[3].metric("汇总数字不符的通报", mismatched)

    st.subheader("通报自称的问题数与抽取到的记录")
    st.caption(
        "“通报称问题数”取自通报的汇总句（如“巡察反馈的9个具体问题”）；未写汇总数字的通报留空。差额不为 0 时值得核对。"
    )
    st.dataframe(notices, hide_index=True)
    st.bar_chart(totals, stack=False, y_label="问题数", x_label="通报")

    left, right = st.columns(2)
    with left:
        st.subheader("整改状态分布")
        st.bar_chart(tables.status_counts(frame), x="状态", y="记录数", sort=False)
    with right:
        st.subheader("各单位的存疑标记")
        if by_org.empty:
            st.success("没有存疑标记。")
        else:
            # horizontal bars: Streamlit's x is the category axis (drawn vertically), y the counts
            st.bar_chart(by_org, horizontal=True, x_label="单位", y_label="标记数")


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import overview as _page

    _page.render()
