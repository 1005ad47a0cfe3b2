"""A short text cut before jieba's dictionary is loaded gives jieba's own words."""

from __future__ import annotations

import jieba
import pytest

from assistant.text import tokens

QUESTIONS = [
    "邵阳交警支队为防止公务车辆超标号加油采取了哪些措施？",
    "祁阳市交通运输局对质安站负责人作了什么处理？",
    "望江交管大队中央隔离护栏赔付款是多少，什么时候上交国库的？",
    "张家界交警支队5万元以上工程项目报账还要提供哪些材料？",
    "ETC 92#汽油 22.82万次 用手机看影视剧、玩游戏 无人机",
]


@pytest.fixture
def unloaded(monkeypatch):
    """jieba as in a fresh process (its dictionary not loaded), the dictionary copy made."""
    assert tokens._light_source() is not None
    full = jieba.dt
    full.check_initialized()
    monkeypatch.setattr(jieba, "dt", jieba.Tokenizer())
    return full


def test_light_cuts_equal_jiebas(unloaded, sample_text) -> None:
    notice = sample_text("001")
    texts = QUESTIONS + [notice[i : i + 150] for i in range(0, len(notice), 97)]
    for text in texts:
        light = tokens._tokenizer(text)
        assert light is not jieba.dt
        assert light.lcut(text) == unloaded.lcut(text)
        assert light.lcut_for_search(text) == unloaded.lcut_for_search(text)
    assert not jieba.dt.initialized  # no cut loaded the whole dictionary


def test_long_texts_and_a_loaded_dictionary_use_jieba_itself(unloaded) -> None:
    assert tokens._tokenizer("车" * (tokens.LIGHT_MAX + 1)) is jieba.dt
    jieba.dt.check_initialized()
    assert tokens._tokenizer("公务车辆") is jieba.dt


def test_pkg_resources_is_only_hidden_while_jieba_imports() -> None:
    import sys

    assert sys.modules.get("pkg_resources", "absent") is not None  # never left hidden
    assert jieba.get_dict_file().read(1)  # jieba opens its own data files without it
