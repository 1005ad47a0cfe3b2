"""存疑清单: the flagged records as a review queue, most severe first, one item per record with all
its flags and their reasons, the decisive words highlighted in the source, and the reviewer's mark
(confirmed / dismissed / note), saved on each of the record's flags beside the store so it survives
a restart and a re-extraction; the 督办清单 (Word) of what still needs follow-up is one click away."""

from __future__ import annotations

import hashlib

import streamlit as st

from assistant.export.marks import latest_mark
from assistant.memo import memo_bytes
from assistant.models import Span
from assistant.naming import flag_label
from assistant.review_marks import DECISION_LABELS, Decision, ReviewMark
from assistant.ui import data
from assistant.ui.highlight import highlight_html, legend_html, marks_of, md_escape, passage_box
from assistant.ui.labels import FLAG_LABELS, SEVERITY_BADGES
from assistant.ui.state import get_context
from assistant.ui.tables import ReviewItem

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

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


def widget_id(item: ReviewItem) -> str:
    return hashlib.sha1(item.id.encode()).hexdigest()[:12]


def _window(item: ReviewItem, text: str) -> Span:
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


def _save(item: ReviewItem, wid: str) -> None:
    """The record's mark, saved on each of its flags (so every flag of the record reads the same)."""
    decision = st.session_state[f"decision-{wid}"]
    note = st.session_state[f"note-{wid}"]
    book = get_context().reviews
    for key in item.keys:
        book.mark(key, decision, note, record_id=item.record_id, problem_text=item.problem)
    st.toast("审核意见已保存", icon=":material/check_circle:")


def _history(mark: ReviewMark) -> None:
    """Who changed this mark, and when: every change is kept in the store's database."""
    changes = get_context().reviews.history(mark.key)
    if len(changes) < 2:
        return
    with st.expander(f"审核记录（{len(changes)} 次）"):
        for change in reversed(changes):
            when = change.at.astimezone().strftime("%Y-%m-%d %H:%M")
            label = DECISION_LABELS[change.decision] if (change.decision or change.note) else "清除审核"
            note = f"：{md_escape(change.note)}" if change.note else ""
            st.markdown(f"- {when}　{md_escape(change.reviewer or '（未署名）')}　{label}{note}")


def render_item(item: ReviewItem, mark: ReviewMark | None) -> None:
    wid = widget_id(item)
    with st.container(border=True):
        badge = SEVERITY_BADGES.get(item.severity.value, item.severity.value)
        head = f"{badge} **{'、'.join(item.labels)}**"
        head += f"　{md_escape(item.problem)}" if item.problem else "　（通报整体）"
        st.markdown(head)
        status = f"　声称状态：{item.status}" if item.status else ""
        judge = "　（含大模型复核）" if any(f.source != "rules" for f in item.flags) else ""
        st.caption(f"{md_escape(item.place)}{status}{judge}　文件：{md_escape(item.source_name)}")
        for f in item.flags:
            fbadge = SEVERITY_BADGES.get(f.severity.value, "")
            st.markdown(f"{fbadge} **{flag_label(f.code)}**：{md_escape(f.reason)}")
        text = data.notice_text(item.notice_id)
        if text is not None:
            w = _window(item, text)
            body = highlight_html(w.slice(text), marks_of(item.spans, "flag", "存疑依据"), offset=w.start)
            st.markdown(passage_box(body, f"原文 第 {w.start}–{w.end} 字"), unsafe_allow_html=True)
        if mark:
            when = mark.updated_at.astimezone().strftime("%Y-%m-%d %H:%M")
            note = f"；备注：{md_escape(mark.note)}" if mark.note else ""
            who = f"，{md_escape(mark.reviewer)}" if mark.reviewer else ""
            st.caption(f"当前审核：{mark.label}（{when}{who}）{note}")
            _history(mark)
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


def _memo() -> bytes:
    """The 督办清单 of every stored notice, with the marks as they are when the button is pressed."""
    ctx = get_context()
    return memo_bytes(data.results(), ctx.reviews)


def render() -> None:
    st.title("存疑清单")
    ctx = get_context()
    queue = data.review_queue()
    if not queue:
        st.success("没有存疑标记。")
        return
    marks = {item.id: latest_mark(ctx.reviews, item.keys) for item in queue}
    decided = [m for m in marks.values() if m and m.decision]
    c = st.columns(4)
    c[0].metric("存疑记录", sum(1 for i in queue if i.record_id is not None))
    c[1].metric("高严重度", sum(1 for i in queue if i.severity.value == "high"))
    c[2].metric("已审核", len(decided))
    c[3].metric("未审核", len(queue) - len(decided))
    st.download_button(
        "下载督办清单（Word）",
        data=_memo,
        file_name="督办清单.docx",
        mime=DOCX_MIME,
        key="dl-memo",
        on_click="ignore",
        icon=":material/description:",
        help="按单位列出确认存疑和未审核的记录：问题、声称状态、存疑原因、措施原文及位置，留有整改单位回复栏。",
    )
    st.markdown(legend_html(["flag"]), unsafe_allow_html=True)

    f1, f2, f3 = st.columns(3)
    order = list(FLAG_LABELS)
    codes = sorted(
        {c for i in queue for c in i.codes}, key=lambda c: (order.index(c) if c in order else len(order), c)
    )
    chosen = f1.multiselect("标记类型", codes, format_func=flag_label, key="rv_codes", placeholder="全部类型")
    wanted = f2.selectbox(
        "审核状态", list(REVIEW_FILTERS), format_func=REVIEW_FILTERS.__getitem__, key="rv_state"
    )
    orgs = sorted({i.unit for i in queue})
    org = f3.selectbox("单位", ["全部单位", *orgs], key="rv_org")
    items = [
        i
        for i in queue
        if (not chosen or set(chosen) & set(i.codes))
        and _matches(marks[i.id], wanted)
        and (org == "全部单位" or i.unit == org)
    ]
    pages = max(1, -(-len(items) // PAGE_SIZE))
    page = 1
    if pages > 1:
        page = int(st.number_input(f"页码（共 {pages} 页）", 1, pages, 1, key="rv_page"))
    st.caption(f"共 {len(items)} 条，按严重程度排序")
    for item in items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]:
        render_item(item, marks[item.id])


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import review as _page

    _page.render()
