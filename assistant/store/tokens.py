"""Tokens for BM25: jieba's search-mode segmentation, width-folded, without stopwords or punctuation."""

from __future__ import annotations

import logging
import re
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

_WORD = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")
STOPWORDS = frozenset(
    [
        "的",
        "了",
        "和",
        "与",
        "及",
        "等",
        "在",
        "对",
        "是",
        "为",
        "把",
        "将",
        "中",
        "上",
        "下",
        "并",
        "或",
        "有",
        "也",
        "就",
        "都",
        "而",
        "及其",
        "以及",
        "其",
        "之",
        "于",
        "以",
        "由",
        "被",
        "从",
        "向",
        "这",
        "那",
        "个",
        "一",
        "各",
        "该",
        "此",
        "哪些",
        "什么",
        "多少",
        "怎么",
        "如何",
        "是否",
        "问题",
        "情况",
        "方面",
        "进行",
        "开展",
        "工作",
        "相关",
        "有关",
        "方面",
        "吗",
        "呢",
        "了吗",
    ]
)


@lru_cache(maxsize=4096)
def _segment(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut_for_search(text))


def tokenize(text: str) -> list[str]:
    text = unicodedata.normalize("NFKC", text).lower()
    return [t for t in _segment(text) if _WORD.search(t) and t not in STOPWORDS]
