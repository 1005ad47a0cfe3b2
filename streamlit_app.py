"""The reviewers' app: `streamlit run streamlit_app.py` (or `audit app`).

Thin on purpose: page config, sidebar, navigation. The pages live in `assistant/ui/`.
"""

from __future__ import annotations

import streamlit as st

from assistant.ui import UI_DIR, sidebar
from assistant.ui.state import get_context

st.set_page_config(page_title="巡察整改通报审核助手", page_icon="🔎", layout="wide")

PAGES = [
    st.Page(UI_DIR / "chat.py", title="问答", icon=":material/forum:", default=True),
    st.Page(UI_DIR / "records.py", title="整改记录", icon=":material/table_view:"),
    st.Page(UI_DIR / "review.py", title="存疑清单", icon=":material/flag:"),
    st.Page(UI_DIR / "upload.py", title="导入", icon=":material/upload_file:"),
    st.Page(UI_DIR / "overview.py", title="概览", icon=":material/bar_chart:"),
]

page = st.navigation(PAGES)
ctx = get_context()
if ctx.seeded is not None and not st.session_state.get("seed_notice_shown"):
    st.session_state["seed_notice_shown"] = True
    st.toast(f"首次启动：已自动导入 {len(ctx.seeded.added)} 份示例通报。", icon=":material/upload_file:")
sidebar.render()
page.run()
