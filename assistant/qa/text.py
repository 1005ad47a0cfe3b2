"""Chinese text helpers for QA: question tokens, sentence spans, and what a question asks for.

jieba tokens drive both the sentence scoring of extractive answers and the evidence check;
question words (哪些, 多少…) and scope words (unit names) carry no evidence and are dropped.
"""

from __future__ import annotations

import itertools
import logging
import re
import unicodedata
from functools import lru_cache

import jieba

jieba.setLogLevel(logging.WARNING)

# Words that shape a question but are never evidence for its answer.
_QUESTION_WORDS = """
    哪些 哪个 哪几个 哪几 哪 哪里 哪儿 什么 啥 多少 几 几个 几次 多长 多久 多大 怎么 怎样 怎么样 如何 为何 为什么
    是否 有没有 有无 是不是 吗 呢 吧 啊 请问 请 一共 共 总共 共计 分别 各 各自 各个 都 还 又 也 再 已 已经 目前 现在
    的 地 得 了 着 过 是 在 对 为 向 从 把 被 将 与 和 及 以及 或 或者 等 有 没有 就 要 让 给 这 那 这些 那些 其 之
    我 我们 你 你们 他们 它 该 此 这个 那个 里 中 上 下 后 前 时 多 少 个 次 方面 情况 问题 通报 整改
    具体 哪一天 哪天 何时 什么时候 时候 达到 达 做 做了 作 作了 干 采取 采取了 进行 怎么处理 措施
    结果 提到 提及 号称 还要 以来 因为 经过 有关 相关 所谓 一下 哪方面 数量 变化 共有 多少钱 情形 开始
"""
QUESTION_WORDS = frozenset(_QUESTION_WORDS.split())
# Units named in questions only to say whose notice is meant ("邵阳交警支队…"); scope detection
# turns them into a notice filter, so as query terms they only add noise.
_SCOPE_WORDS = """
    交警支队 交警 支队 交通警察 交管大队 交管 大队 交通管理 交通运输局 交通局 运输局 公安局 局 党组 党委 单位 两地 两个
    委员会 中共
"""
SCOPE_WORDS = frozenset(_SCOPE_WORDS.split())
# Unit phrases cut out of the question before jieba runs, so "交通运输局对质安站" does not
# come out as 局对 / 质安站 pieces.
UNIT_PHRASES = (
    "交通警察支队",
    "交通管理大队",
    "交通运输局",
    "交警支队",
    "交管大队",
    "公安局",
    "交通局",
    "运输局",
)
_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_HOW_MANY = re.compile(r"几.")  # 几家, 几台, 几名: the question's frame, not its subject


def fold(text: str) -> str:
    """Width-folded, case-folded text for matching question tokens against notice text."""
    return unicodedata.normalize("NFKC", text).casefold()


@lru_cache(maxsize=2048)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(jieba.lcut(text))


def tokens(text: str) -> list[str]:
    """jieba tokens without punctuation or whitespace, folded."""
    return [t for t in (fold(t) for t in _cut(text)) if t and not _PUNCT.fullmatch(t)]


def strip_units(text: str) -> str:
    for phrase in UNIT_PHRASES:
        text = text.replace(phrase, "，")
    return text


def subwords(token: str) -> list[str]:
    """jieba's finer pieces of a compound token ("上班时间" → 上班, 时间), longer than one char."""
    return [t for t in (fold(t) for t in jieba.lcut_for_search(token)) if len(t) >= 2 and t != token]


def is_content(tok: str, drop: frozenset[str] | set[str] = frozenset()) -> bool:
    """Can this token be evidence? Not a question word, scope word or single character (a single
    CJK character matches almost every sentence); numbers are kept."""
    if tok in QUESTION_WORDS or tok in SCOPE_WORDS or tok in drop or _HOW_MANY.fullmatch(tok):
        return False
    return len(tok) >= 2 or tok.isdigit()


def content_tokens(text: str, drop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Distinct evidence tokens of a question, in order."""
    out: list[str] = []
    for tok in tokens(strip_units(text)):
        if is_content(tok, drop) and tok not in out:
            out.append(tok)
    return out


# Sentence ends; measure lists also break before 二是/三是… (003 drops the punctuation before them).
_SENT_END = re.compile(r"[。！？!?；;\n]+")
_ENUM = re.compile(r"(?<=[^\s。；;，,：:！？!?\n])(?=[二三四五六七八九十]是)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Half-open spans of the sentences in `text`, trimmed of whitespace, delimiters excluded
    except a closing 。 (so a quote reads as a sentence)."""
    cuts = [0]
    for m in _SENT_END.finditer(text):
        end = m.start() + 1 if text[m.start()] == "。" else m.start()
        cuts.extend([end, m.end()])
    cuts.append(len(text))
    spans: list[tuple[int, int]] = []
    for start, end in zip(cuts[0::2], cuts[1::2], strict=False):
        pieces = [start, *(start + m.start() for m in _ENUM.finditer(text[start:end])), end]
        for s, e in itertools.pairwise(pieces):
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if e - s >= 2:
                spans.append((s, e))
    return spans


# What kind of value the question wants; evidence must contain one to count as an answer.
QUANTITY_QUESTION = re.compile(
    r"多少|几[个名次台人起件处辆座块家条项场期天年月份轮]|多长|多久|多大|金额|数量|数额|比例|百分之|几成|比率"
)
DATE_QUESTION = re.compile(r"何时|什么时候|哪天|哪一天|哪年|哪一年|几月|几号|日期|哪个月|期限")
_CN_NUM = "一二两三四五六七八九十百千万"
QUANTITY_EVIDENCE = re.compile(
    rf"(?:\d+(?:\.\d+)?|[{_CN_NUM}]+)\s*(?:万|亿)?\s*余?\s*"
    r"(?:个|名|人次|人|次|台|元|件|起|处|辆|座|块|家|条|项|场|期|天|公里|延米|米|套|份|张|%|％|秒|轮|分|倍|批|所|盏|篇|余)"
)
DATE_EVIDENCE = re.compile(r"\d{4}\s*年|\d{1,2}\s*月|\d{1,2}\s*日|年底|年初|月底|月初|季度|上半年|下半年")
MEASURES_QUESTION = re.compile(
    r"措施|怎么整改|如何整改|怎样整改|怎么做|做了什么|做了哪些|采取|怎么处理|如何处理|怎么落实|如何落实|哪些工作|怎么解决|如何解决|整改的"
)


def wants_quantity(question: str) -> bool:
    return bool(QUANTITY_QUESTION.search(question))


def wants_date(question: str) -> bool:
    return bool(DATE_QUESTION.search(question))


def wants_measures(question: str) -> bool:
    return (
        bool(MEASURES_QUESTION.search(question)) and not wants_quantity(question) and not wants_date(question)
    )


def has_quantity(text: str) -> bool:
    return bool(QUANTITY_EVIDENCE.search(text))


def has_date(text: str) -> bool:
    return bool(DATE_EVIDENCE.search(text))
