"""The app through Streamlit's AppTest: every page renders, a question gets a cited answer, the
records table filters, a reviewer's mark persists, and an upload reports each file on its own."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import streamlit as st
from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from streamlit.testing.v1 import AppTest

from assistant.models import Status
from assistant.pipeline import process_file
from assistant.reviews import Decision, ReviewBook
from assistant.settings import get_settings
from assistant.store import NoticeStore

MakeApp = Callable[[], AppTest]
QUESTION = "望江交管大队中央隔离护栏赔付款是多少？"
RECORDS, REVIEW, UPLOAD, OVERVIEW = (
    f"assistant/ui/{p}.py" for p in ("records", "review", "upload", "overview")
)


def ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_page(make_app: MakeApp, page: str | None = None) -> AppTest:
    at = ok(make_app().run())
    if page:
        ok(at.switch_page(page).run())
    return at


def restart() -> None:
    """What a server restart does to the app: every cached object is rebuilt from disk."""
    st.cache_resource.clear()
    st.cache_data.clear()
    get_settings.cache_clear()


def markdown_values(element) -> list[str]:
    return [m.value for m in element.markdown]


def item_heads(at: AppTest) -> list[str]:
    """The heading line of each review item: badge, all the record's flags, then its problem."""
    return [v for v in markdown_values(at) if "-badge[" in v and "**　" in v]


# ---- start-up and sidebar ---------------------------------------------------------------------


def test_first_start_on_an_empty_store_indexes_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, offline_env: None, make_app: MakeApp
) -> None:
    store_dir = tmp_path / "new-store"
    monkeypatch.setenv("AUDIT_STORE_DIR", str(store_dir))
    get_settings.cache_clear()
    at = open_page(make_app)
    metrics = {m.label: m.value for m in at.sidebar.metric}
    assert metrics == {"通报": "5", "记录": "86", "存疑记录": "7"}
    assert [t.value for t in at.toast] == ["首次启动：已自动导入 5 份示例通报。"]
    assert (store_dir / "store.db").is_file()
    # the next start finds the samples and does not index or announce anything again
    restart()
    again = open_page(make_app)
    assert not again.toast
    assert len(NoticeStore.open(path=store_dir).manifest) == 5


def test_sidebar_shows_mode_endpoint_and_store(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app)
    assert [i.value for i in at.sidebar.info] == ["模式：离线（规则抽取 + 抽取式回答）"]
    details = markdown_values(at.sidebar)[1]
    assert "**接口**：未配置" in details and "**模型**：未配置" in details
    assert f"`{store_dir.resolve()}`" in details
    assert "**向量**：离线字符向量（无需下载模型）" in details
    assert {m.label: m.value for m in at.sidebar.metric} == {"通报": "5", "记录": "86", "存疑记录": "7"}


# ---- 问答 -------------------------------------------------------------------------------------


def test_offline_question_gets_a_cited_answer_with_highlighted_passage(
    store_dir: Path, make_app: MakeApp
) -> None:
    at = open_page(make_app)
    assert "离线模式" in at.info[0].value
    ok(at.chat_input[0].set_value(QUESTION).run())
    user, bot = at.chat_message
    assert (user.name, bot.name) == ("user", "assistant")
    assert markdown_values(user) == [QUESTION]
    assert bot.caption[0].value == "未配置语言模型：以下为从通报中摘录的原文句子（抽取式回答）。"
    # the inline [1] links to its passage, which sits hidden under the answer until it is clicked
    assert markdown_values(bot)[0] == (
        '二是4月5日已将中央隔离护栏赔付款8250元上交国库<a class="cite-link" href="#cite-1-1">&#91;1&#93;</a>'
    )
    hidden = markdown_values(bot)[1]
    assert hidden.startswith(
        '<div id="cite-1-1" class="cite-target"><b>&#91;1&#93;</b> 望江县公安局交通管理大队 · '
    )
    assert ">二是4月5日已将中央隔离护栏赔付款8250元上交国库</mark>" in hidden
    (citation,) = bot.expander
    # the notice by its display name (unit · date), the headings after it; markdown-escaped
    assert citation.label.startswith("\\[1\\] 望江县公安局交通管理大队 · 日期未注明 · ")
    assert citation.label.endswith("针对内控机制执行不严问题")
    (passage,) = markdown_values(citation)
    assert '<mark class="hl-quote"' in passage
    assert ">二是4月5日已将中央隔离护栏赔付款8250元上交国库</mark>" in passage
    assert "001&#95;3fc582a97ef44a37.txt　第 " in passage  # markdown marks as entities inside the HTML

    # the conversation is kept across reruns of the session, and the button clears it
    ok(at.chat_input[0].set_value("哪些问题是阶段性完成的？").run())
    assert len(at.chat_message) == 4
    assert "状态为“阶段性完成”的问题共14个" in markdown_values(at.chat_message[3])[0]
    clear = next(b for b in at.button if b.label == "清空对话")
    ok(clear.click().run())
    assert len(at.chat_message) == 0


def test_example_question_button_asks_it(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app)
    example = next(b for b in at.button if b.label == QUESTION)
    ok(example.click().run())
    assert [m.name for m in at.chat_message] == ["user", "assistant"]
    assert "8250元" in markdown_values(at.chat_message[1])[0]


def test_with_a_chat_model_the_answer_streams_and_cites(
    store_dir: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    replies = ["赔付款8250元，已于4月5日上交国库[1]。", "8250元[1]。"]
    monkeypatch.setattr(
        "assistant.providers.llm.make_chat_model",
        lambda settings=None: GenericFakeChatModel(messages=iter([AIMessage(content=r) for r in replies])),
    )
    question = "望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？"
    at = open_page(make_app)
    assert not at.info  # no offline banner
    assert [s.value for s in at.sidebar.success] == ["模式：大模型（在线）"]
    ok(at.chat_input[0].set_value(question).run())
    bot = at.chat_message[1]
    assert markdown_values(bot)[0] == (  # replayed from the history, [1] now a link
        '赔付款8250元，已于4月5日上交国库<a class="cite-link" href="#cite-1-1">&#91;1&#93;</a>。'
    )
    assert not bot.error and not bot.caption[0].value.startswith("未配置语言模型")
    (citation,) = bot.expander
    assert citation.label.startswith("\\[1\\] 望江县公安局交通管理大队 · 日期未注明")
    assert ">二是4月5日已将中央隔离护栏赔付款8250元上交国库</mark>" in markdown_values(citation)[0]

    ok(at.chat_input[0].set_value(question).run())
    bot = at.chat_message[3]
    assert markdown_values(bot)[0] == "8250元[1]。"  # as st.write_stream wrote it while streaming
    assert bot.expander[0].label.startswith("\\[1\\] 望江县公安局交通管理大队 · 日期未注明")
    # the call went through the one LLM caller, which counts it for the cost line
    assert [c.value for c in bot.caption if c.value.startswith("大模型请求")] == [
        "大模型请求 1 次，缓存命中 0 次；输入 0 tokens，输出 0 tokens，费用未知（未设置 AUDIT_PRICE_INPUT / AUDIT_PRICE_OUTPUT）。"
    ]


def test_when_the_endpoint_fails_the_answer_falls_back_to_offline(
    store_dir: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken(GenericFakeChatModel):
        def _stream(self, *args, **kwargs):
            raise ConnectionError("endpoint unreachable")

    monkeypatch.setattr(
        "assistant.providers.llm.make_chat_model",
        lambda settings=None: Broken(messages=iter([])),
    )
    at = open_page(make_app)
    ok(at.chat_input[0].set_value(QUESTION).run())
    bot = at.chat_message[1]
    assert bot.warning[0].value == (
        "大模型调用失败（LLMCallError: 调用大模型失败（请求被拒绝）：endpoint unreachable），以下改为离线抽取式回答。"
    )
    assert markdown_values(bot)[0] == (
        '二是4月5日已将中央隔离护栏赔付款8250元上交国库<a class="cite-link" href="#cite-1-1">&#91;1&#93;</a>'
    )
    assert bot.expander[0].label.startswith("\\[1\\] 望江县公安局交通管理大队 · 日期未注明")


def test_chat_scope_limits_the_notices_searched(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app)
    ok(at.selectbox(key="chat_org").set_value("中共张家界市公安局交通警察支队委员会").run())
    ok(at.chat_input[0].set_value("对执法不规范问题采取了哪些措施？").run())
    labels = [e.label for e in at.chat_message[1].expander]
    assert labels and all(label.split(" ")[1] == "中共张家界市公安局交通警察支队委员会" for label in labels)


# ---- 整改记录 ---------------------------------------------------------------------------------


def test_records_table_filters_and_shows_a_record_in_detail(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app, RECORDS)
    store = NoticeStore.open(path=store_dir)
    records = store.records()
    assert at.dataframe[0].value.shape[0] == len(records) == 86
    assert list(at.dataframe[0].value.columns[:3]) == ["问题", "状态", "存疑标记"]

    ok(at.multiselect(key="rec_status").set_value(["阶段性完成"]).run())
    shown = at.dataframe[0].value
    assert len(shown) == sum(r.status == Status.PARTIAL for r in records) == 14
    assert set(shown["状态"]) == {"阶段性完成"}
    assert "共 86 条记录，当前显示 14 条" in [c.value for c in at.caption]

    ok(at.multiselect(key="rec_status").set_value([]).run())
    ok(at.selectbox(key="rec_flag").set_value("vague_completion").run())
    shown = at.dataframe[0].value
    assert sorted(shown["问题"]) == sorted(r.problem for r in records if "vague_completion" in r.flag_codes)
    assert all("声称完成但措施空泛" in labels for labels in shown["存疑标记"])

    ok(at.selectbox(key="rec_flag").set_value("").run())
    ok(at.text_input(key="rec_query").input("护栏 赔付款").run())
    shown = at.dataframe[0].value
    assert list(shown["问题"]) == ["内控机制执行不严"]

    # the detail view: measures with their evidence, and the source with evidence highlighted
    assert at.selectbox(key="rec_detail").value[1] == "(二)-10-22)"
    assert at.subheader[0].value == "内控机制执行不严"
    source = next(v for v in markdown_values(at) if 'class="source-passage"' in v)
    assert '<mark class="hl-evidence"' in source and 'title="金额"' in source
    assert ">8250元</mark>" in source
    assert [b.label for b in at.get("download_button")] == ["下载 CSV", "下载 Excel", "下载 JSON"]


def test_records_organisation_filter(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app, RECORDS)
    ok(at.multiselect(key="rec_orgs").set_value(["中共新野县交通运输局党组"]).run())
    shown = at.dataframe[0].value
    assert len(shown) == 8
    assert set(shown["单位"]) == {"中共新野县交通运输局党组"}


# ---- 存疑清单 ---------------------------------------------------------------------------------


def test_review_queue_is_sorted_by_severity_with_decisive_words_marked(
    store_dir: Path, make_app: MakeApp
) -> None:
    at = open_page(make_app, REVIEW)
    metrics = {m.label: m.value for m in at.metric if m.label in ("存疑记录", "高严重度", "已审核")}
    assert metrics == {"存疑记录": "7", "高严重度": "3", "已审核": "0"}
    heads = item_heads(at)
    assert len(heads) == 7  # one item per record, with all its flags (10 flags on 7 records)
    assert (
        heads[0]
        == ":red-badge[高] **声称完成但措施空泛、措施均为一般性表述**　交警支队个别民辅警履职能力有待增强"
    )
    assert heads[3].startswith(":orange-badge[中] **措施均为一般性表述**　")
    assert (
        ":orange-badge[中] **措施均为一般性表述**：全部3项措施没有数量"
        in markdown_values(at)[markdown_values(at).index(heads[0]) + 2]
    )
    assert [b.label for b in at.get("download_button")] == ["下载督办清单（Word）"]
    first = next(v for v in markdown_values(at) if 'class="source-passage"' in v)
    assert '<mark class="hl-flag" style="' in first
    assert ">整改结果：完成</mark>" in first


def test_a_reviewer_mark_is_saved_and_survives_restart_and_reextraction(
    store_dir: Path, make_app: MakeApp, sample_path
) -> None:
    at = open_page(make_app, REVIEW)
    (radio, *_) = at.radio
    assert radio.value is None
    assert radio.options == ["未审核", "确认存疑", "排除（不存疑）"]
    radio.set_value(Decision.CONFIRMED)
    at.text_input[0].input("需调阅干部任免档案")
    ok(at.button[[b.label for b in at.button].index("保存审核意见")].click().run())
    saved = ReviewBook.for_store(store_dir).marks()  # in the store's database, with its history
    # the record's mark is saved on each of its flags
    assert sorted(m.key.code for m in saved) == ["generic_only", "vague_completion"]
    assert {(m.decision, m.note) for m in saved} == {(Decision.CONFIRMED, "需调阅干部任免档案")}
    assert {m.key.problem for m in saved} == {"交警支队个别民辅警履职能力有待增强"}
    assert [len(ReviewBook.for_store(store_dir).history(m.key)) for m in saved] == [1, 1]
    mark = saved[0].model_dump(mode="json")

    # the server restarts and the notice is extracted again (removed and re-added: new record objects)
    restart()
    store = NoticeStore.open(path=store_dir)
    notice_id = mark["key"]["notice_id"]
    assert store.remove(notice_id)
    store.add(process_file(sample_path("000")))
    del store
    restart()

    again = open_page(make_app, REVIEW)
    assert again.radio[0].value == "confirmed"
    assert again.text_input[0].value == "需调阅干部任免档案"
    assert any(c.value.startswith("当前审核：确认存疑（") for c in again.caption)
    assert {m.label: m.value for m in again.metric}["已审核"] == "1"
    ok(again.selectbox(key="rv_state").set_value("confirmed").run())
    assert len(item_heads(again)) == 1

    # a second decision: both stay in the history, newest first, with who made them
    again.radio[0].set_value(Decision.DISMISSED)
    again.text_input[0].input("已见处分决定书")
    ok(again.button[[b.label for b in again.button].index("保存审核意见")].click().run())
    ok(again.selectbox(key="rv_state").set_value("dismissed").run())
    (history,) = [e for e in again.expander if e.label.startswith("审核记录")]
    assert history.label == "审核记录（2 次）"
    lines = [m.value for m in history.markdown]
    assert lines[0].endswith("排除（不存疑）：已见处分决定书")
    assert lines[1].endswith("确认存疑：需调阅干部任免档案")


# ---- 导入 -------------------------------------------------------------------------------------


def test_upload_a_gbk_notice_and_a_broken_file(store_dir: Path, make_app: MakeApp, sample_text) -> None:
    at = open_page(make_app, UPLOAD)
    radio = at.radio(key="upload_extractor")
    assert radio.value == "rules" and radio.disabled
    assert "未配置语言模型，只能使用规则抽取" in at.caption[0].value

    gbk = (sample_text("004") + "\n（本文件为 GBK 编码副本）\n").encode("gbk")
    at.file_uploader[0].set_value(
        [
            ("新野交通局整改通报_gbk.txt", gbk, "text/plain"),
            ("损坏的通报.docx", b"PK\x03\x04 this is not a real docx", "application/octet-stream"),
        ]
    )
    ok(at.run())
    ok(next(b for b in at.button if b.label == "导入并抽取").click().run())
    assert [s.value for s in at.success] == ["已导入 1 个文件，共 8 条整改记录。"]
    (error,) = at.error
    assert error.value == (
        "损坏的通报.docx：Word 文档已损坏或格式不正确：损坏的通报.docx。请用 Word 或 WPS 打开后另存为 .docx 再导入。"
    )
    report = at.dataframe[0].value
    assert list(report["结果"]) == ["已新增", "失败"]

    store = NoticeStore.open(path=store_dir)
    added = [n for n in store.notices() if n.source_name == "新野交通局整改通报_gbk.txt"]
    assert len(store.manifest) == 6 and len(added) == 1 and added[0].records == 8
    assert sorted(p.name for p in (store_dir / "uploads").glob("*/*")) == ["新野交通局整改通报_gbk.txt"]
    assert {m.label: m.value for m in at.sidebar.metric}["通报"] == "6"


def test_llm_extraction_can_be_chosen_when_an_endpoint_is_configured(
    store_dir: Path, make_app: MakeApp, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("AUDIT_MODEL", "test-model")
    get_settings.cache_clear()
    at = open_page(make_app, UPLOAD)
    radio = at.radio(key="upload_extractor")
    assert not radio.disabled
    assert radio.options == ["规则抽取（离线）", "大模型抽取", "规则 + 大模型复核"]
    assert not any("未配置语言模型" in c.value for c in at.caption)


# ---- 概览 -------------------------------------------------------------------------------------


def test_overview_shows_totals_check_and_charts(store_dir: Path, make_app: MakeApp) -> None:
    at = open_page(make_app, OVERVIEW)
    table = at.dataframe[0].value
    rows = {r["文件"][:3]: (r["通报称问题数"], r["抽取到的记录"], r["汇总核对"]) for _, r in table.iterrows()}
    assert rows["000"] == ("9", 9, "相符")
    assert rows["003"] == ("15", 15, "相符")
    assert rows["001"] == ("—", 30, "未写汇总")
    assert list(table["通报"])[:2] == [
        "中共邵阳市公安局交通警察支队委员会 · 2025年3月21日",
        "望江县公安局交通管理大队 · 日期未注明",
    ]
    assert "None" not in table.astype(str).to_numpy().ravel().tolist()
    assert len(at.get("vega_lite_chart")) == 3
    assert {m.label: m.value for m in at.metric}["整改记录"] == "86"


def test_crafted_notice_text_is_never_rendered_as_markup(
    store_dir: Path, make_app: MakeApp, tmp_path: Path
) -> None:
    """A heading carrying a remote-image beacon and a disguised link shows as plain text on every page."""
    beacon, phish = "![x](http://evil.example/b.png)", "[点此核实](http://phish.example)"
    crafted = (
        f"中共某县测试局党组关于巡察整改进展情况的通报\n根据县委统一部署开展整改。\n二、{phish}整改进展情况\n"
        f"（一）公车管理不规范{beacon}\n整改情况：进一步加强管理。该问题已整改到位。\n"
    )
    path = tmp_path / "crafted.txt"
    path.write_text(crafted, encoding="utf-8")
    NoticeStore.open(path=store_dir).add(process_file(path))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page(make_app, REVIEW)
    rendered = [*markdown_values(at), *[c.value for c in at.caption], *[e.label for e in at.expander]]
    joined = "\n".join(rendered)
    assert "公车管理不规范" in joined  # the crafted record is on the page…
    assert "](http" not in joined.replace("\\](http", "")  # …and no link or image markup survives unescaped
