"""问答: chat over the indexed notices, every answer with its cited passages one click away.

With a chat model the answer streams in; offline it is an extractive answer (sentences quoted
from the notices) under an honest banner. The conversation lives in the session only.
"""

from __future__ import annotations

import re

import streamlit as st
from pydantic import BaseModel

from assistant.qa import answer as answer_question
from assistant.qa import stream_answer
from assistant.qa.models import Answer, Citation
from assistant.settings import get_settings
from assistant.store import SearchFilters
from assistant.ui.data import citation_place
from assistant.ui.highlight import escape_html, highlight_html, marks_of, md_escape, passage_box
from assistant.ui.state import get_chat_model, get_context

HISTORY = "chat_history"
PENDING = "chat_pending"
EXAMPLES = [
    "望江交管大队中央隔离护栏赔付款是多少？",
    "哪些整改声称完成但措施空泛？",
    "哪些单位追缴或退回了资金，共多少？",
]
OFFLINE_NOTICE = (
    "**离线模式**：未配置语言模型，回答不是模型写的总结，而是从通报中摘录的原文句子（抽取式回答），"
    "每句后的 [n] 可点击，打开它所依据的原文段落。配置 OPENAI_BASE_URL / OPENAI_API_KEY 与 AUDIT_MODEL 后可获得大模型回答。"
)


class Turn(BaseModel):
    role: str  # "user" or "assistant"
    text: str
    answer: Answer | None = None
    note: str | None = None  # e.g. the endpoint failed and the offline answer is shown instead


# An inline [n] in the answer is a link to the passage's anchor just under the answer text; the
# passage shows only while it is the page's :target, so clicking [1] then [2] switches between them
# (no script: Streamlit runs none from markdown, and a <details> does not open for a fragment).
CITE_STYLE = (
    "<style>.cite-target{display:none;margin:0.4rem 0}.cite-target:target{display:block}"
    "a.cite-link{text-decoration:none;font-weight:600}</style>"
)
_CITE = re.compile(r"\[(\d+)\]")


def _anchor(key: str, n: int) -> str:
    return f"{key}-{n}"


def answer_html(a: Answer, key: str) -> str:
    """The answer text as escaped HTML with each valid [n] a link that opens its passage below."""
    valid = {c.n for c in a.citations}
    out: list[str] = []
    last = 0
    for m in _CITE.finditer(a.text):
        n = int(m.group(1))
        if n not in valid:
            continue
        out.append(escape_html(a.text[last : m.start()]))
        out.append(f'<a class="cite-link" href="#{_anchor(key, n)}">&#91;{n}&#93;</a>')
        last = m.end()
    out.append(escape_html(a.text[last:]))
    return "".join(out)


def cited_passages_html(a: Answer, key: str, passages: dict[int, str]) -> str:
    """Each cited passage under its anchor, hidden until its [n] in the answer is clicked."""
    blocks = (
        f'<div id="{_anchor(key, c.n)}" class="cite-target">'
        f"<b>&#91;{c.n}&#93;</b> {escape_html(citation_place(c))}{passages[c.n]}</div>"
        for c in a.citations
    )
    return "".join(blocks)


def _md(text: str) -> str:
    """Answer text for st.markdown: line breaks kept, `$` not read as a formula."""
    return md_escape(text).replace("\n", "  \n")


def _passage_html(c: Citation) -> str:
    body = highlight_html(c.passage, marks_of(c.quotes, "quote"), offset=c.span.start)
    caption = f"{c.source_name}　第 {c.span.start}–{c.span.end} 字" + (
        f"　记录 {c.record_id}" if c.record_id else ""
    )
    return passage_box(body, caption)


def render_citation(c: Citation, passage: str) -> None:
    with st.expander(f"\\[{c.n}\\] {md_escape(citation_place(c))}"):
        st.markdown(passage, unsafe_allow_html=True)


def render_citation_picker(a: Answer, key: str, passages: dict[int, str]) -> None:
    """The answer's [n] as buttons: clicking one opens that passage right under the answer."""
    numbers = [c.n for c in a.citations]
    picked = st.pills(
        "点击编号查看原文",
        numbers,
        format_func=lambda n: f"[{n}]",
        key=key,
        label_visibility="collapsed",
    )
    c = a.citation(picked) if picked is not None else None
    if c is not None:
        st.markdown(f"**\\[{c.n}\\]** {md_escape(citation_place(c))}")
        st.markdown(passages[c.n], unsafe_allow_html=True)


def render_verdict(a: Answer) -> None:
    if a.invalid_citations:
        bad = "、".join(f"[{n}]" for n in a.invalid_citations)
        st.error(f"回答引用了未提供的段落 {bad}，这些引用无效。")
    if a.mode in ("llm", "records") and not a.grounded:
        st.error("该回答没有有效引用，不能视为有通报依据。")


def render_answer(a: Answer, *, text_shown: bool = False, note: str | None = None, key: str = "cite") -> None:
    if note:
        st.warning(note)
    if a.banner:
        st.caption(a.banner)
    passages = {c.n: _passage_html(c) for c in a.citations}  # each shown up to three ways below
    if not text_shown:
        st.markdown(answer_html(a, key), unsafe_allow_html=True)
        if a.citations:
            st.markdown(cited_passages_html(a, key, passages), unsafe_allow_html=True)
    render_verdict(a)
    if a.citations:
        st.caption("来源（点击编号或展开查看原文，依据的词句已高亮）")
        render_citation_picker(a, key, passages)
        for c in a.citations:
            render_citation(c, passages[c.n])


def _filters_box() -> tuple[SearchFilters | None, int]:
    ctx = get_context()
    orgs = sorted({n.organisation for n in ctx.store.manifest.values() if n.organisation})
    with st.expander("检索范围", expanded=False):
        org = st.selectbox("只看某单位的通报", ["全部单位", *orgs], key="chat_org")
        k = st.slider("检索段落数", 1, 10, 5, key="chat_k")
    filters = SearchFilters(organisation=org) if org != "全部单位" else None
    return filters, k


def _ask(question: str, filters: SearchFilters | None, k: int, key: str) -> Turn:
    """Answer in the assistant bubble (streamed when a model is configured); the turn to keep."""
    ctx = get_context()
    model = get_chat_model()
    if model is not None:
        from assistant.providers.caller import as_caller

        llm = as_caller(model)  # one caller per question: retries, and its usage for the cost line
        final: dict[str, Answer] = {}

        def deltas():
            for item in stream_answer(question, ctx.store, k=k, filters=filters, llm=llm):
                if isinstance(item, Answer):
                    final["answer"] = item
                else:
                    yield item

        try:
            st.write_stream(deltas())
        except Exception as exc:  # the endpoint failed: say so and answer offline
            note = f"大模型调用失败（{type(exc).__name__}: {exc}），以下改为离线抽取式回答。"
            with ctx.lock:
                offline = answer_question(question, ctx.store, k=k, filters=filters, llm=None)
            render_answer(offline, note=note, key=key)
            return Turn(role="assistant", text=offline.text, answer=offline, note=note)
        a = final["answer"]
        render_answer(a, text_shown=True, key=key)
        st.caption(llm.usage.summary(get_settings()).splitlines()[0])
        return Turn(role="assistant", text=a.text, answer=a)
    with st.spinner("正在检索通报…"), ctx.lock:
        a = answer_question(question, ctx.store, k=k, filters=filters, llm=None)
    render_answer(a, key=key)
    return Turn(role="assistant", text=a.text, answer=a)


def _clear() -> None:
    st.session_state[HISTORY] = []
    for key in [k for k in st.session_state if str(k).startswith("cite-")]:
        del st.session_state[key]  # a new conversation starts with no passage open


def render() -> None:
    st.title("问答")
    st.markdown(CITE_STYLE, unsafe_allow_html=True)
    history: list[Turn] = st.session_state.setdefault(HISTORY, [])
    online = get_chat_model() is not None
    if not online:
        st.info(OFFLINE_NOTICE, icon=":material/info:")
    top = st.columns([4, 1])
    with top[0]:
        filters, k = _filters_box()
    top[1].button("清空对话", on_click=_clear, disabled=not history, use_container_width=True)

    if not get_context().store.manifest:
        st.warning("通报库是空的：请先在“导入”页上传通报。")
    if not history:
        st.caption("可以这样问：")
        cols = st.columns(len(EXAMPLES))
        for col, example in zip(cols, EXAMPLES, strict=True):
            if col.button(example, key=f"example-{example}", use_container_width=True):
                st.session_state[PENDING] = example

    for i, turn in enumerate(history):
        with st.chat_message(turn.role):
            if turn.role == "assistant" and turn.answer is not None:
                render_answer(turn.answer, note=turn.note, key=f"cite-{i}")
            else:
                st.markdown(_md(turn.text))

    typed = st.chat_input("就已导入的通报提问，例如：哪些单位追缴或退回了资金？")
    question = typed or st.session_state.pop(PENDING, None)
    if not question:
        return
    history.append(Turn(role="user", text=question))
    with st.chat_message("user"):
        st.markdown(_md(question))
    with st.chat_message("assistant"):
        history.append(_ask(question, filters, k, key=f"cite-{len(history)}"))
    if len(history) == 2:
        st.rerun()  # hide the example buttons now that the conversation has started


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import chat as _page

    _page.render()
