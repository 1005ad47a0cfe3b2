"""Sidebar: which model answers (or that none does), where the store is, how much is in it."""

from __future__ import annotations

import streamlit as st

from assistant.settings import get_settings
from assistant.ui.state import get_chat_model, get_context

OFFLINE_VECTORS = "离线字符向量（无需下载模型）"


def vectors_label(configured_model: str | None) -> str:
    """The embeddings in words: the configured endpoint's model name, else the offline default."""
    return f"{configured_model}（向量接口）" if configured_model else OFFLINE_VECTORS


def render() -> None:
    settings = get_settings()
    ctx = get_context()
    manifest = ctx.store.manifest
    records = sum(n.records for n in manifest.values())
    flagged = sum(n.flagged_records for n in manifest.values())
    online = get_chat_model() is not None
    with st.sidebar:
        st.markdown("#### 运行状态")
        if online:
            st.success("模式：大模型（在线）", icon=":material/cloud_done:")
        else:
            st.info("模式：离线（规则抽取 + 抽取式回答）", icon=":material/cloud_off:")
        st.markdown(
            "\n".join(
                [
                    f"- **接口**：{settings.base_url or ('OpenAI 默认' if settings.api_key else '未配置')}",
                    f"- **模型**：{settings.model or '未配置'}",
                    f"- **向量**：{vectors_label(settings.embeddings_model)}",
                    f"- **存储位置**：`{ctx.store.path}`",
                ]
            )
        )
        c1, c2, c3 = st.columns(3)
        c1.metric("通报", len(manifest))
        c2.metric("记录", records)
        c3.metric("存疑记录", flagged)
        if not online:
            st.caption(
                "设置 OPENAI_BASE_URL / OPENAI_API_KEY 与 AUDIT_MODEL 后重启即可使用大模型回答与抽取。"
            )
