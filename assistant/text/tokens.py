"""The one jieba tokeniser and the one stopword list, for the store's BM25 and for QA alike.

The same words must come out of a question and a notice wherever they are cut: both go through
`words` (jieba's precise mode, folded, no punctuation). BM25 indexes `search_terms`: the same
cut in jieba's search mode, which adds the pieces of long compounds ("上班时间" → 上班, 时间), so a
question that names a part still finds the whole. Stopwords (function words and the words that
frame a question) are never evidence and never index terms.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import sqlite3
import sys
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

from assistant.text.fold import fold

# jieba imports pkg_resources only to open its own data files and falls back to a plain open()
# without it; importing pkg_resources costs ≈ 0.3 s of a one-question process, so jieba is imported
# with it hidden (and nothing else is changed: the name is restored at once).
_HIDE = "pkg_resources" not in sys.modules
if _HIDE:
    sys.modules["pkg_resources"] = None  # type: ignore[assignment]  # import raises ImportError
try:
    import jieba
finally:
    if _HIDE:
        del sys.modules["pkg_resources"]

jieba.setLogLevel(logging.WARNING)

_STOPWORDS = """
    哪些 哪个 哪几个 哪几 哪 哪里 哪儿 什么 啥 多少 几 几个 几次 多长 多久 多大 怎么 怎样 怎么样 如何 为何 为什么
    是否 有没有 有无 是不是 吗 呢 吧 啊 了吗 请问 请 一共 共 总共 共计 分别 各 各自 各个 都 还 又 也 再 已 已经 目前 现在
    的 地 得 了 着 过 是 在 对 为 向 从 把 被 将 与 和 及 及其 以及 或 或者 等 有 没有 就 要 让 给 这 那 这些 那些 其 之
    于 以 由 而 并 一
    我 我们 你 你们 他们 它 该 此 这个 那个 里 中 上 下 后 前 时 多 少 个 次 方面 情况 问题 通报 整改
    具体 哪一天 哪天 何时 什么时候 时候 达到 达 做 做了 作 作了 干 采取 采取了 进行 怎么处理 措施
    结果 提到 提及 号称 还要 以来 因为 经过 有关 相关 所谓 一下 哪方面 数量 变化 共有 多少钱 情形 开始
"""
STOPWORDS = frozenset(_STOPWORDS.split())
"""Words that shape a sentence or a question but are never evidence for an answer. 工作 and 开展
are not among them: "党建工作" asks about that work, and a notice's 开展 is what was done."""

_PUNCT = re.compile(r"[\s\W_]+", re.UNICODE)
_WORD = re.compile(r"[\u4e00-\u9fff]|[a-z0-9]")


# ---- a short text cut without loading the whole dictionary ------------------------------------
# jieba's first cut loads its 500,000-entry prefix dictionary (≈ 1 s of CPU), which a one-question
# process (`audit search`, `audit ask`) pays for a few words. A cut only ever looks up substrings
# of the text, so a short text is cut by a tokenizer holding just the entries among its substrings,
# read from a per-machine SQLite copy of the dictionary: the same words, in the same order.

LIGHT_MAX = 200
"""Texts up to this many characters are cut the light way while the full dictionary is not loaded."""
_LIGHT: dict[str, object] = {}
_LIGHT_LOCK = threading.Lock()


def _dictionary_copy() -> Path:
    dictionary = Path(jieba.__file__).with_name("dict.txt")
    stat = dictionary.stat()
    key = f"{jieba.__version__}-{stat.st_size}-{int(stat.st_mtime)}"
    return Path(tempfile.gettempdir()) / f"audit-jieba-{key}.sqlite"


def _write_copy(path: Path) -> None:
    """The loaded dictionary (entries and prefixes) as a SQLite table, written whole or not at all."""
    jieba.dt.check_initialized()
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=path.name, suffix=".part")
    os.close(fd)
    try:
        with contextlib.closing(sqlite3.connect(tmp)) as con:
            con.execute("CREATE TABLE freq (word TEXT PRIMARY KEY, n INTEGER) WITHOUT ROWID")
            con.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value INTEGER)")
            con.executemany("INSERT INTO freq VALUES (?, ?)", jieba.dt.FREQ.items())
            longest = max(map(len, jieba.dt.FREQ))
            con.executemany(
                "INSERT INTO meta VALUES (?, ?)", [("total", jieba.dt.total), ("longest", longest)]
            )
            con.commit()
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)


def _light_source() -> tuple[sqlite3.Connection, int, int] | None:
    """(connection, total, longest entry) of the dictionary copy, made on first need; None if impossible."""
    with _LIGHT_LOCK:
        if "source" not in _LIGHT:
            source = None
            try:
                path = _dictionary_copy()
                if not path.is_file():
                    _write_copy(path)
                con = sqlite3.connect(f"file:{path}?mode=ro", uri=True, check_same_thread=False)
                meta = dict(con.execute("SELECT key, value FROM meta").fetchall())
                source = (con, int(meta["total"]), int(meta["longest"]))
            except (OSError, sqlite3.Error, KeyError):
                source = None
            _LIGHT["source"] = source
        return _LIGHT["source"]  # type: ignore[return-value]


def _tokenizer(text: str) -> jieba.Tokenizer:
    """jieba's own tokenizer, or for a short text while it is not loaded, one holding only the
    dictionary entries among the text's substrings."""
    if jieba.dt.initialized or len(text) > LIGHT_MAX:
        return jieba.dt
    source = _light_source()
    if source is None:
        return jieba.dt
    con, total, longest = source
    grams = sorted(  # nothing is looked up across jieba's blocks
        {
            run[i:j]
            for run in jieba.re_han_default.findall(text)
            for i in range(len(run))
            for j in range(i + 1, min(len(run), i + longest) + 1)
        }
    )
    freq: dict[str, int] = {}
    with _LIGHT_LOCK:
        for start in range(0, len(grams), 900):
            batch = grams[start : start + 900]
            marks = ",".join("?" * len(batch))
            freq.update(con.execute(f"SELECT word, n FROM freq WHERE word IN ({marks})", batch).fetchall())
    light = jieba.Tokenizer()
    light.FREQ, light.total, light.initialized = freq, total, True
    return light


@lru_cache(maxsize=4096)
def _cut(text: str) -> tuple[str, ...]:
    return tuple(_tokenizer(text).lcut(text))


@lru_cache(maxsize=4096)
def _cut_for_search(text: str) -> tuple[str, ...]:
    return tuple(_tokenizer(text).lcut_for_search(text))


def words(text: str) -> list[str]:
    """jieba's words of the folded text (so "ＥＴＣ" is one word), without punctuation or whitespace."""
    return [t for t in _cut(fold(text)) if not _PUNCT.fullmatch(t)]


def subwords(word: str) -> list[str]:
    """jieba's finer pieces of a compound word ("上班时间" → 上班, 时间), longer than one char."""
    return [t for t in _cut_for_search(fold(word)) if len(t) >= 2 and t != word]


def search_terms(text: str) -> list[str]:
    """Index and query terms for BM25: search-mode pieces of the folded text, no stopwords.

    jieba cuts a text block by block (runs of Han characters, letters and digits, and what lies
    between them) and each block on its own, so the terms of a text are its blocks' terms in order;
    blocks repeat across notices (the same clause, the same heading), so they are cut once each."""
    folded = fold(text)
    if not jieba.dt.initialized and len(folded) <= LIGHT_MAX:  # a question: the light way, see above
        return [t for t in _cut_for_search(folded) if _WORD.search(t) and t not in STOPWORDS]
    return [t for block in _BLOCK.split(folded) if block for t in _block_terms(block)]


_BLOCK = jieba.re_han_default  # how jieba.cut itself splits a text into blocks


# 32,768 blocks: 3 % more misses than 131,072 over 1,500 notices, a quarter of a worker's memory
@lru_cache(maxsize=1 << 15)
def _block_terms(block: str) -> tuple[str, ...]:
    return tuple(t for t in jieba.dt.lcut_for_search(block) if _WORD.search(t) and t not in STOPWORDS)


def is_stopword(word: str) -> bool:
    return word in STOPWORDS
