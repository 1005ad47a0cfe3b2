"""存疑清单: the flags as a review queue, most severe first, each with its reason, the decisive
words highlighted in the source, and the reviewer's mark (confirmed / dismissed / note), saved
beside the store so it survives a restart and a re-extraction."""

from __future__ import annotations

import hashlib

import streamlit as st

from assistant.models import Span
from assistant.reviews import DECISION_LABELS, Decision, ReviewMark
from assistant.ui import data
from assistant.ui.highlight import highlight_html, legend_html, marks_of, md_escape, passage_box
from assistant.ui.labels import FLAG_LABELS, SEVERITY_BADGES
from assistant.ui.state import get_context
from assistant.ui.tables import FlagItem

PAGE_SIZE = 10
MAX_WINDOW = 1500  # characters of source shown around a flag
REVIEW_FILTERS = {
    "all": "全部",
    "open": "未审核",
    "confirmed": "确认存疑",
    "dismissed": "排除（不存疑）",
    "noted": "有备注",
}
DECISIONS: list[Decision | None] = [None, Decision.CONFIRMED, Decision.DISMISSED]


def widget_id(item: FlagItem) -> str:
    return hashlib.sha1(item.key.id.encode()).hexdigest()[:12]


def _window(item: FlagItem, text: str) -> Span:
    w = item.window
    if w.end <= w.start:
        w = Span(start=0, end=min(len(text), MAX_WINDOW))
    if len(w) > MAX_WINDOW:
        first = min((s.start for s in item.spans), default=w.start)
        start = max(w.start, first - 200)
        w = Span(start=start, end=min(w.end, start + MAX_WINDOW))
    return w


def _matches(mark: ReviewMark | None, wanted: str) -> bool:
    decision = mark.decision if mark else None
    if wanted == "open":
        return decision is None
    if wanted == "noted":
        return bool(mark and mark.note)
    if wanted in ("confirmed", "dismissed"):
        return decision == Decision(wanted)
    return True


def _save(item: FlagItem, wid: str) -> None:
    decision = st.session_state[f"decision-{wid}"]
    note = st.session_state[f"note-{wid}"]
    get_context().reviews.mark(item.key, decision, note, record_id=item.record_id, problem_text=item.problem)
    st.toast("审核意见已保存", icon=":material/check_circle:")


def render_item(item: FlagItem, mark: ReviewMark | None) -> None:
    wid = widget_id(item)
    with st.container(border=True):
        badge = SEVERITY_BADGES.get(item.severity.value, item.severity.value)
        head = f"{badge} **{item.label}**"
        if item.problem:
            head += f"　{md_escape(item.problem)}"
        st.markdown(head)
        status = f"　声称状态：{item.status}" if item.status else ""
        judge = "　（大模型复核）" if item.source != "rules" else ""
        st.caption(f"{md_escape(item.place)}{status}{judge}")
        st.markdown(f"**理由**：{md_escape(item.reason)}")
        text = data.notice_text(item.notice_id)
        if text is not None:
            w = _window(item, text)
            body = highlight_html(w.slice(text), marks_of(item.spans, "flag", item.label), offset=w.start)
            st.markdown(passage_box(body, f"原文 第 {w.start}–{w.end} 字"), unsafe_allow_html=True)
        if mark:
            when = mark.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            note = f"；备注：{md_escape(mark.note)}" if mark.note else ""
            st.caption(f"当前审核：{mark.label}（{when}）{note}")
        with st.form(f"form-{wid}", border=False):
            c1, c2 = st.columns([2, 3])
            c1.radio(
                "审核意见",
                DECISIONS,
                index=DECISIONS.index(mark.decision if mark else None),
                format_func=DECISION_LABELS.__getitem__,
                key=f"decision-{wid}",
                horizontal=True,
            )
            c2.text_input(
                "备注", value=mark.note if mark else "", key=f"note-{wid}", placeholder="如：需调阅台账核实"
            )
            st.form_submit_button("保存审核意见", on_click=_save, args=(item, wid))


def render() -> None:
    st.title("存疑清单")
    ctx = get_context()
    queue = data.flag_queue()
    if not queue:
        st.success("没有存疑标记。")
        return
    marks = {item.key.id: ctx.reviews.get(item.key) for item in queue}
    decided = [m for m in marks.values() if m and m.decision]
    c = st.columns(4)
    c[0].metric("存疑标记", len(queue))
    c[1].metric("高严重度", sum(1 for i in queue if i.severity.value == "high"))
    c[2].metric("已审核", len(decided))
    c[3].metric("未审核", len(queue) - len(decided))
    st.markdown(legend_html(["flag"]), unsafe_allow_html=True)

    f1, f2, f3 = st.columns(3)
    order = list(FLAG_LABELS)
    codes = sorted({i.code for i in queue}, key=lambda c: (order.index(c) if c in order else len(order), c))
    chosen = f1.multiselect(
        "标记类型", codes, format_func=lambda c: FLAG_LABELS.get(c, c), key="rv_codes", placeholder="全部类型"
    )
    wanted = f2.selectbox(
        "审核状态", list(REVIEW_FILTERS), format_func=REVIEW_FILTERS.__getitem__, key="rv_state"
    )
    orgs = sorted({i.organisation or i.source_name for i in queue})
    org = f3.selectbox("单位", ["全部单位", *orgs], key="rv_org")
    items = [
        i
        for i in queue
        if (not chosen or i.code in chosen)
        and _matches(marks[i.key.id], wanted)
        and (org == "全部单位" or (i.organisation or i.source_name) == org)
    ]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input(f"页码（共 {pages} 页）", 1, pages, 1, key="rv_page"))
    st.caption(f"共 {len(items)} 条，按严重程度排序")
    for item in items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        render_item(item, marks[item.key.id])


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import review as _page

    _page.render()
