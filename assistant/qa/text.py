"""Chinese text helpers for QA: question tokens, sentence spans, and what a question asks for.

The kernel's jieba words drive both the sentence scoring of extractive answers and the evidence
check; stopwords (哪些, 多少…) and scope words (unit names) carry no evidence and are dropped.
"""

from __future__ import annotations

import itertools
import re

from assistant.text.sentences import SENTENCE_ENDS
from assistant.text.sentences import sentence_spans as _sentences
from assistant.text.tokens import STOPWORDS, words

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
_HOW_MANY = re.compile(r"几.")  # 几家, 几台, 几名: the question's frame, not its subject


def strip_units(text: str) -> str:
    for phrase in UNIT_PHRASES:
        text = text.replace(phrase, "，")
    return text


def is_content(tok: str, drop: frozenset[str] | set[str] = frozenset()) -> bool:
    """Can this token be evidence? Not a question word, scope word or single character (a single
    CJK character matches almost every sentence); numbers are kept."""
    if tok in STOPWORDS or tok in SCOPE_WORDS or tok in drop or _HOW_MANY.fullmatch(tok):
        return False
    return len(tok) >= 2 or tok.isdigit()


def content_tokens(text: str, drop: frozenset[str] | set[str] = frozenset()) -> list[str]:
    """Distinct evidence tokens of a question, in order."""
    out: list[str] = []
    for tok in words(strip_units(text)):
        if is_content(tok, drop) and tok not in out:
            out.append(tok)
    return out


# Measure lists also break before 二是/三是… (003 drops the punctuation before them).
_ENUM = re.compile(r"(?<=[^\s。；;，,：:！？!?\n])(?=[二三四五六七八九十]是)")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """The kernel's sentences as QA quotes them: trimmed of whitespace, closing marks dropped
    except a 。 (so a quote reads as a sentence), measure lists cut before 二是/三是…"""
    spans: list[tuple[int, int]] = []
    for start, end in _sentences(text):
        if text[end - 1] in SENTENCE_ENDS and text[end - 1] != "。":
            end -= 1
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
