"""导入: upload notices (.txt .docx .pdf .html, several at once), extract with rules or an LLM,
see per-file results; a file that fails is listed with its reason and the others still go in."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.ingest.loaders import MAX_BYTES
from assistant.naming import chinese_date
from assistant.pipeline import SUPPORTED_SUFFIXES
from assistant.settings import get_settings
from assistant.ui import data
from assistant.ui.importing import ImportReport, UploadOutcome, import_uploads
from assistant.ui.labels import ACTION_LABELS, EXTRACTOR_LABELS
from assistant.ui.state import get_context

LAST_REPORT = "upload_report"
UPLOADER_KEY = "upload_files"
NO_LLM_REASON = (
    "未配置语言模型，只能使用规则抽取（离线、无需 API Key）。"
    "设置 OPENAI_BASE_URL / OPENAI_API_KEY 与 AUDIT_MODEL 后重启，即可选择大模型抽取。"
)


MAX_MB = MAX_BYTES // (1024 * 1024)
# Streamlit's uploader has no Chinese text of its own: its English lines are hidden and replaced
# (the size shown is the project's limit, which `server.maxUploadSize` also enforces)
UPLOADER_CSS = f"""
<style>
[data-testid="stFileUploaderDropzoneInstructions"] > div > span,
[data-testid="stFileUploaderDropzoneInstructions"] > div > small {{ display: none; }}
[data-testid="stFileUploaderDropzoneInstructions"] > div::before {{
  content: "将通报文件拖到这里，或点击右侧按钮选择"; display: block;
}}
[data-testid="stFileUploaderDropzoneInstructions"] > div::after {{
  content: "每个文件不超过 {MAX_MB} MB：TXT、MD、DOCX、PDF、HTML"; display: block;
  font-size: 0.8rem; opacity: 0.7;
}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] {{ display: none; }}
[data-testid="stFileUploaderDropzone"] button::after {{ content: "选择文件"; font-size: 0.9rem; }}
</style>
"""


def report_frame(report: ImportReport) -> pd.DataFrame:
    rows = [
        {
            "文件": o.name,
            "结果": ACTION_LABELS.get(o.action or "", o.action) if o.ok else "失败",
            "记录数": str(o.records) if o.ok else "—",
            "存疑记录": str(o.flagged) if o.ok else "—",
            "说明": o.error or "",
        }
        for o in report.outcomes
    ]
    return pd.DataFrame(rows, columns=["文件", "结果", "记录数", "存疑记录", "说明"])


def render_report(report: ImportReport) -> None:
    ok, failed = report.succeeded, report.failed
    if ok:
        st.success(f"已导入 {len(ok)} 个文件，共 {sum(o.records for o in ok)} 条整改记录。")
    for o in failed:
        st.error(f"{o.name}：{o.error}")
    st.dataframe(report_frame(report), hide_index=True)


def render() -> None:
    st.title("导入通报")
    settings = get_settings()
    llm_ready = settings.llm_configured
    options = ["rules", "llm", "hybrid"] if llm_ready else ["rules"]
    extractor = st.radio(
        "抽取方式",
        options,
        format_func=EXTRACTOR_LABELS.__getitem__,
        horizontal=True,
        key="upload_extractor",
        disabled=not llm_ready,
    )
    if not llm_ready:
        st.caption(NO_LLM_REASON)
    types = [s.lstrip(".") for s in SUPPORTED_SUFFIXES]
    st.markdown(UPLOADER_CSS, unsafe_allow_html=True)
    files = st.file_uploader(
        f"选择通报文件（可多选，每个不超过 {MAX_MB} MB）：.txt（UTF-8 / GBK / GB18030）、.docx、.pdf（含文字层）、.html",
        type=types,
        accept_multiple_files=True,
        key=UPLOADER_KEY,
    )
    go = st.button("导入并抽取", type="primary", disabled=not files)
    if go and files:
        ctx = get_context()
        progress = st.progress(0.0, text="准备导入…")
        with st.status(f"正在导入 {len(files)} 个文件…", expanded=True) as status:

            def on_file(i: int, total: int, outcome: UploadOutcome) -> None:
                progress.progress(i / total, text=f"{i}/{total}　{outcome.name}")
                if outcome.ok:
                    st.write(
                        f":material/check: {outcome.name}：{ACTION_LABELS.get(outcome.action or '', outcome.action)}，{outcome.records} 条记录"
                    )
                else:
                    st.write(f":material/error: {outcome.name}：{outcome.error}")

            report = import_uploads(
                [(f.name, f.getvalue()) for f in files],
                ctx.store,
                extractor=extractor or "rules",
                on_file=on_file,
                lock=ctx.lock,
            )
            state = "error" if report.failed and not report.succeeded else "complete"
            status.update(
                label=f"导入结束：成功 {len(report.succeeded)} 个，失败 {len(report.failed)} 个", state=state
            )
        st.session_state[LAST_REPORT] = report
        st.rerun()  # the sidebar's counts and every cached table now include the new notices
    report = st.session_state.get(LAST_REPORT)
    if report is not None:
        render_report(report)

    ctx = get_context()
    with st.expander(f"通报库中的通报（{len(ctx.store.manifest)} 份）"):
        stored = ctx.store.notices()
        rows = [
            {
                "通报": data.notice_name(n.notice_id, n.source_name),
                "单位": n.organisation or "未识别",
                "发布日期": chinese_date(n.published) or "未注明",
                "记录": n.records,
                "存疑": n.flagged_records,
                "抽取方式": EXTRACTOR_LABELS.get(n.extractor, n.extractor),
                "文件": n.source_name,
            }
            for n in stored
        ]
        st.dataframe(pd.DataFrame(rows), hide_index=True)


if __name__ == "__main__":  # run as a page script by st.navigation: use the imported module
    from assistant.ui import upload as _page

    _page.render()
