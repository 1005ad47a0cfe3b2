"""The chat page through AppTest: the records answers to the headline questions, and [n] buttons
that open the cited passage under the answer."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from streamlit.testing.v1 import AppTest

MakeApp = Callable[[], AppTest]


def _ok(at: AppTest) -> AppTest:
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_clicking_a_citation_number_opens_its_passage(store_dir: Path, make_app: MakeApp) -> None:
    at = _ok(make_app().run())
    _ok(at.chat_input[0].set_value("哪些整改声称完成但措施空泛？").run())
    bot = at.chat_message[1]
    text = bot.markdown[0].value
    assert text.startswith("按抽取的记录表，全部 5 份通报中声称完成但措施空泛的问题共3个")
    assert "职级晋升任免权限不合规" in text and "vague\\_completion" not in text
    # each [n] in the text links to its passage, hidden under the answer until clicked
    assert [f'href="#cite-1-{n}">&#91;{n}&#93;</a>' in text for n in (1, 2, 3)] == [True, True, True]
    assert bot.markdown[1].value.count('class="cite-target"') == 3
    (picker,) = bot.button_group
    assert picker.options == ["[1]", "[2]", "[3]"] and picker.value is None
    before = len(bot.markdown)
    _ok(picker.set_value(2).run())
    bot = at.chat_message[1]
    shown = [m.value for m in bot.markdown]
    assert len(shown) == before + 2
    place, passage = shown[2], shown[3]
    assert place.startswith("**\\[2\\]** 中共邵阳市公安局交通警察支队委员会 · 2025年3月21日 · ")
    assert '<mark class="hl-quote"' in passage and "职级晋升任免权限不合规" in passage


def test_money_question_lists_units_amounts_and_the_sum(store_dir: Path, make_app: MakeApp) -> None:
    at = _ok(make_app().run())
    example = next(b for b in at.button if b.label == "哪些单位追缴或退回了资金，共多少？")
    _ok(example.click().run())
    text = at.chat_message[1].markdown[0].value
    assert "望江县公安局交通管理大队 · 日期未注明（5个，写明金额合计64246元（6.4246万元））" in text
    assert "其中3条写明了金额，合计64246元（6.4246万元）；其余未写明金额。" in text
    assert len(at.chat_message[1].expander) == 11
