"""Okapi BM25 as an inverted index: a `bm25s` segment on disk, memory-mapped, plus a small delta.

The base segment is bm25s's sparse score matrix (one column per token, saved as .npy arrays and
memory-mapped on open, so opening reads no whole file), built from the documents' term counts,
which are kept beside it as arrays so a rebuild never re-tokenises. Single adds and removals go
to a delta (documents added since the build, base documents removed): scored with the base's
statistics, appended to a log on save. The delta is merged into a new base when it grows past a
quarter of the base (so the total rebuild work stays linear in the corpus) and by `merge()`,
which the store calls once at the end of a bulk run.

A bulk run hands over whole batches as arrays (`add_many`: term ids and counts counted in worker
processes, no dict per document): they wait in memory, pending, and go into the next base built;
`save` builds one when they are as many as the base holds (so a long run rebuilds a doubling base,
linear work in all), and says whether everything is on disk, so the store's stamp never claims
documents the cache on disk lacks. Reading them before (a search during a bulk run) turns them
into delta documents first.

Scores follow Lucene's BM25 (bm25s `method="lucene"`): idf = ln(1 + (N − df + ½)/(df + ½)),
tf part tf / (tf + k1·(1 − b + b·len/avg)); ranking equals the textbook form's.
"""

from __future__ import annotations

import json
import math
import shutil
import uuid
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

from assistant.atomic import write_atomic
from assistant.text.tokens import search_terms

if TYPE_CHECKING:
    import numpy as np

MERGE_MIN = 256
"""A delta smaller than this is never merged on save (only by `merge()`)."""
MERGE_RATIO = 4
"""Merge on save when the delta holds more than base/MERGE_RATIO documents."""
_SLICE = 1 << 20  # pairs scored at a time while building a base (≈ 80 MB of temporaries per slice)
_CURRENT = "current.json"
_DELTA = "delta.jsonl"


def _terms(text: str) -> Counter[str]:
    """The one call into the tokeniser: term counts of a document or a query."""
    return Counter(search_terms(text))


def document_terms(text: str) -> dict[str, int]:
    """A document's terms as `add` would count them (computed elsewhere, e.g. in a worker process)."""
    return dict(_terms(text))


def count_terms(texts: list[str]) -> tuple[list[str], np.ndarray, np.ndarray, np.ndarray]:
    """Several documents' terms as `add_many` takes them, counted where the texts are (a worker):
    one local vocabulary for them all, then per document its number of distinct terms, and each
    term's place in the vocabulary and count, concatenated."""
    import numpy as np

    local: dict[str, int] = {}
    lengths: list[int] = []
    places: list[int] = []
    counts: list[int] = []
    for text in texts:
        terms = _terms(text)
        lengths.append(len(terms))
        places.extend(local.setdefault(t, len(local)) for t in terms)
        counts.extend(terms.values())
    return (
        list(local),
        np.array(lengths, dtype=np.int64),
        np.array(places, dtype=np.int32),
        np.array(counts, dtype=np.int32),
    )


class _Base:
    """A built segment: bm25s's score matrix and the term counts it was built from (all arrays)."""

    def __init__(self, folder: Path) -> None:
        import bm25s
        import numpy as np

        self.folder = folder
        self.model = bm25s.BM25.load(str(folder / "model"), mmap=True)
        self.vocab: dict[str, int] = self.model.vocab_dict
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in _Base.ARRAYS}
        self.ids: np.ndarray = arrays["ids"]
        self.offsets: np.ndarray = arrays["offsets"]
        self.terms: np.ndarray = arrays["terms"]
        self.counts: np.ndarray = arrays["counts"]
        self.df: np.ndarray = arrays["df"]
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        self.avg_length: float = meta["avg_length"]
        self._positions: dict[str, int] | None = None
        self._inverse: list[str] | None = None

    ARRAYS = ("ids", "offsets", "terms", "counts", "df")

    def __len__(self) -> int:
        return len(self.ids)

    @property
    def positions(self) -> dict[str, int]:
        """Document id → column, built on first need (membership, filters, removal)."""
        if self._positions is None:
            self._positions = {str(d): i for i, d in enumerate(self.ids.tolist())}
        return self._positions

    def doc_terms(self, position: int) -> list[str]:
        """The distinct terms of the document in `position` (for the df of a removal)."""
        if self._inverse is None:
            self._inverse = [""] * len(self.vocab)
            for token, i in self.vocab.items():
                self._inverse[i] = token
        lo, hi = int(self.offsets[position]), int(self.offsets[position + 1])
        return [self._inverse[t] for t in self.terms[lo:hi].tolist()]


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    """`parts` end to end in one new array, emptying the list as it goes so each part is freed once copied."""
    import numpy as np

    out = np.empty(sum(len(p) for p in parts), dtype=dtype)
    at = 0
    parts.reverse()
    while parts:
        part = parts.pop()
        out[at : at + len(part)] = part
        at += len(part)
    return out


def _build(
    folder: Path, ids: list[str], lengths: np.ndarray, terms: np.ndarray, counts: np.ndarray,
    vocab: dict[str, int], k1: float, b: float,
) -> None:  # fmt: skip
    """Write a segment: documents `ids` with `lengths[i]` distinct terms each, their term ids and
    counts concatenated. The score matrix in bm25s's layout is computed with a few numpy passes
    (bm25s's own indexer loops over the documents in Python)."""
    import bm25s
    import numpy as np

    n_docs, n_vocab = len(ids), max(1, len(vocab))
    offsets = np.zeros(n_docs + 1, dtype=np.int64)
    np.cumsum(lengths, out=offsets[1:])
    pairs = len(terms)

    def docs_of(lo: int, hi: int) -> np.ndarray:  # the document of each pair in [lo, hi)
        return np.searchsorted(offsets, np.arange(lo, hi), side="right") - 1

    slices = [(lo, min(lo + _SLICE, pairs)) for lo in range(0, pairs, _SLICE)]
    doc_length = np.zeros(n_docs)
    for lo, hi in slices:
        doc_length += np.bincount(docs_of(lo, hi), weights=counts[lo:hi], minlength=n_docs)
    avg = float(doc_length.mean()) if n_docs else 1.0
    df = np.bincount(terms, minlength=n_vocab).astype(np.int32)
    idf = np.log(1.0 + (n_docs - df + 0.5) / (df + 0.5))
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    # the CSC layout (token, then document) by a counting sort a slice at a time, slices in document
    # order: each pair goes to its token's next free place. At 240,000 documents there are ≈ 25
    # million pairs, and a full-length int64 temporary would be 200 MB; these stay at one slice's
    data = np.empty(pairs, dtype=np.float32)
    indices = np.empty(pairs, dtype=np.int32)
    free = indptr[:-1].copy()
    for lo, hi in slices:
        t, d, tf = terms[lo:hi], docs_of(lo, hi), counts[lo:hi].astype(np.float64)
        score = idf[t] * tf / (tf + k1 * (1.0 - b + b * doc_length[d] / avg))
        order = np.argsort(t, kind="stable")
        ts = t[order]
        starts = np.flatnonzero(np.concatenate(([True], ts[1:] != ts[:-1])))
        rank = np.arange(len(ts)) - np.repeat(starts, np.diff(np.append(starts, len(ts))))
        place = free[ts] + rank
        data[place] = score[order]
        indices[place] = d[order]
        free += np.bincount(t, minlength=n_vocab)
    model = bm25s.BM25(k1=k1, b=b, method="lucene")
    model.scores = {"data": data, "indices": indices, "indptr": indptr, "num_docs": n_docs}
    model.vocab_dict = vocab or {"": 0}
    model.nonoccurrence_array = None  # lucene needs none (set by bm25s's own indexer)
    folder.mkdir(parents=True)
    model.save(str(folder / "model"), show_progress=False)
    id_array = np.array(ids, dtype=str) if ids else np.zeros(0, dtype="<U1")
    arrays = {"ids": id_array, "offsets": offsets, "terms": terms, "counts": counts, "df": df}
    for name, array in arrays.items():
        np.save(folder / f"{name}.npy", array)
    (folder / "meta.json").write_text(json.dumps({"avg_length": avg, "k1": k1, "b": b}), encoding="utf-8")


class BM25Index:
    """The keyword index the store uses: add/remove/scores/save/load, `in`, len, doc_freq."""

    def __init__(self, k1: float = 1.5, b: float = 0.5) -> None:
        # b=0.5, not the textbook 0.75: record chunks run 200–1500 chars and a long record is long
        # because it lists more measures, not because it is verbose; full length normalisation let
        # short records win on the unit name alone ("张家界交警支队 执法不规范" → 基层党建不规范).
        self.k1 = k1
        self.b = b
        self._base: _Base | None = None
        self._added: dict[str, dict[str, int]] = {}  # delta: documents since the base was built
        self._removed: set[str] = set()  # base documents removed since
        self._delta_df: Counter[str] = Counter()  # df of the added documents
        self._removed_df: Counter[str] = Counter()  # df of the removed base documents
        self._log: list[dict[str, object]] = []  # delta changes not yet appended to the log
        self._primed: dict[str, dict[str, int]] = {}  # text → terms, counted ahead of `add`
        # pending: batches from `add_many`, in arrays, until the next base is built
        self._vocab: dict[str, int] | None = None  # the base's vocabulary and the pending's new terms
        self._pending: list[tuple[list[str], np.ndarray, np.ndarray, np.ndarray]] = []
        self._pending_ids: dict[str, None] = {}

    # ---- the documents ------------------------------------------------------------------------

    def _in_base(self, doc_id: str) -> bool:
        return self._base is not None and doc_id in self._base.positions and doc_id not in self._removed

    def prime(self, terms: dict[str, dict[str, int]]) -> None:
        """Terms of texts about to be added, counted by `document_terms` in another process; they
        replace any primed before (only the next notice's are kept)."""
        self._primed = dict(terms)

    def add(self, doc_id: str, text: str) -> None:
        self.remove(doc_id)
        counts = self._primed.pop(text, None)
        if counts is None:
            counts = dict(_terms(text))
        self._added[doc_id] = counts
        self._delta_df.update(counts.keys())
        self._log.append({"add": doc_id, "terms": counts})

    def term_ids(self, words: list[str]) -> np.ndarray:
        """Ids of `words` in the index's vocabulary (new words get new ids), for `add_many`."""
        import numpy as np

        if self._vocab is None:
            self._vocab = dict(self._base.vocab) if self._base is not None else {}
        vocab = self._vocab
        return np.fromiter((vocab.setdefault(w, len(vocab)) for w in words), dtype=np.int32, count=len(words))

    def add_many(self, ids: list[str], lengths: np.ndarray, terms: np.ndarray, counts: np.ndarray) -> None:
        """Documents `ids` with `lengths[i]` distinct terms each: their ids (from `term_ids`) and counts,
        concatenated. They are pending until the next base is built (`save` or `merge`)."""
        import numpy as np

        if not ids:
            return
        for doc_id in ids:
            if doc_id in self:  # a document again: the newer wins
                self.remove(doc_id)
        self._pending.append(
            (
                list(ids),
                np.asarray(lengths, np.int64),
                np.asarray(terms, np.int32),
                np.asarray(counts, np.int32),
            )
        )
        self._pending_ids.update(dict.fromkeys(ids))

    def _materialise(self) -> None:
        """Pending documents as delta documents (a read or a removal needs them one by one)."""
        if not self._pending:
            return
        assert self._vocab is not None
        inverse = [""] * len(self._vocab)
        for token, i in self._vocab.items():
            inverse[i] = token
        batches, self._pending, self._pending_ids = self._pending, [], {}
        for ids, lengths, terms, counts in batches:
            pos = 0
            for doc_id, n in zip(ids, lengths.tolist(), strict=True):
                span = slice(pos, pos + n)
                doc = dict(
                    zip((inverse[t] for t in terms[span].tolist()), counts[span].tolist(), strict=True)
                )
                pos += n
                self._added[doc_id] = doc
                self._delta_df.update(doc.keys())
                self._log.append({"add": doc_id, "terms": doc})

    def remove(self, doc_id: str) -> None:
        if doc_id in self._pending_ids:
            self._materialise()
        if doc_id in self._added:
            self._delta_df.subtract(self._added.pop(doc_id).keys())
            self._log.append({"remove": doc_id})
        elif self._in_base(doc_id):
            assert self._base is not None
            self._removed.add(doc_id)
            self._removed_df.update(self._base.doc_terms(self._base.positions[doc_id]))
            self._log.append({"remove": doc_id})

    def __len__(self) -> int:
        base = len(self._base) - len(self._removed) if self._base is not None else 0
        return base + len(self._added) + len(self._pending_ids)

    def __contains__(self, doc_id: object) -> bool:
        return isinstance(doc_id, str) and (
            doc_id in self._added or doc_id in self._pending_ids or self._in_base(doc_id)
        )

    def ids(self) -> Iterator[str]:
        """Every indexed document id."""
        if self._base is not None:
            yield from (d for d in self._base.positions if d not in self._removed)
        yield from self._added
        yield from self._pending_ids

    @property
    def docs(self) -> list[str]:
        """The indexed ids (kept for callers that iterate `index.docs`)."""
        return list(self.ids())

    def doc_freq(self, token: str) -> int:
        """Documents holding `token` (one token of the shared tokeniser), base and delta together."""
        self._materialise()
        df = self._delta_df.get(token, 0) - self._removed_df.get(token, 0)
        if (
            self._base is not None
            and (i := self._base.vocab.get(token)) is not None
            and i < len(self._base.df)
        ):
            df += int(self._base.df[i])
        return max(df, 0)

    def doc_freq_all(self, tokens: Iterable[str]) -> int:
        """Documents holding every one of `tokens` (the base's posting lists intersected)."""
        import numpy as np

        wanted = list(dict.fromkeys(tokens))
        if len(wanted) <= 1:
            return self.doc_freq(wanted[0]) if wanted else len(self)
        n = sum(1 for counts in self._added.values() if all(t in counts for t in wanted))
        base = self._base
        columns = [base.vocab.get(t) for t in wanted] if base is not None else [None]
        if base is None or any(i is None or i >= len(base.df) for i in columns):
            return n
        indptr, indices = base.model.scores["indptr"], base.model.scores["indices"]
        common: np.ndarray | None = None
        for i in sorted(columns, key=lambda c: int(base.df[c])):  # type: ignore[arg-type,index]
            docs = np.asarray(indices[int(indptr[i]) : int(indptr[i + 1])])  # type: ignore[operator]
            common = docs if common is None else np.intersect1d(common, docs, assume_unique=True)
            if not len(common):
                return n
        assert common is not None
        if self._removed:
            gone = [base.positions[d] for d in self._removed]
            common = np.setdiff1d(common, np.asarray(gone), assume_unique=True)
        return n + len(common)

    def idf(self, token: str) -> float:
        n, df = len(self), self.doc_freq(token)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    # ---- scoring ------------------------------------------------------------------------------

    def scores(
        self, query: str, allowed: set[str] | None = None, limit: int | None = None
    ) -> list[tuple[str, float]]:
        """Documents with a positive score, best first (ties by id, for stable order); `limit` caps
        the list (the store needs only its candidates, and a common word matches most documents)."""
        terms = list(_terms(query))
        if not terms or not len(self):
            return []
        self._materialise()
        out = self._base_scores(terms, allowed, limit) + self._delta_scores(terms, allowed)
        out.sort(key=lambda item: (-item[1], item[0]))
        return out[:limit] if limit is not None else out

    def _base_scores(
        self, terms: list[str], allowed: set[str] | None, limit: int | None
    ) -> list[tuple[str, float]]:
        import numpy as np

        base = self._base
        if base is None:
            return []
        token_ids = sorted({base.vocab[t] for t in terms if t in base.vocab})
        if not token_ids:
            return []
        scores = base.model.get_scores_from_ids(token_ids)
        if self._removed:
            scores[[base.positions[d] for d in self._removed]] = 0
        if allowed is not None:
            keep = np.zeros(len(scores), dtype=bool)
            keep[[base.positions[d] for d in allowed if d in base.positions]] = True
            scores[~keep] = 0
        hits = np.flatnonzero(scores > 0)
        if limit is not None and len(hits) > limit:
            # the best `limit`, and everything tied with the last of them (ties are broken by id)
            kth = np.partition(scores[hits], len(hits) - limit)[len(hits) - limit]
            hits = hits[scores[hits] >= kth]
        return [(str(base.ids[i]), float(scores[i])) for i in hits.tolist()]

    def _delta_scores(self, terms: list[str], allowed: set[str] | None) -> list[tuple[str, float]]:
        """The delta (small) scored in Python with the statistics the base was built with, so its
        scores compare with the base's; with no base, with its own."""
        import numpy as np

        if not self._added:
            return []
        base = self._base
        if base is not None and len(base):
            n, avg = len(base), base.avg_length

            def df(term: str) -> int:
                i = base.vocab.get(term)
                return int(base.df[i]) if i is not None and i < len(base.df) else 0
        else:
            n = len(self._added)
            avg = sum(sum(c.values()) for c in self._added.values()) / n

            def df(term: str) -> int:
                return self._delta_df.get(term, 0)

        idf = {t: math.log(1 + (n - (f := df(t)) + 0.5) / (f + 0.5)) for t in terms}
        out = []
        for doc_id, counts in self._added.items():
            if allowed is not None and doc_id not in allowed:
                continue
            norm = self.k1 * (1 - self.b + self.b * sum(counts.values()) / avg)
            score = np.float32(0.0)
            for term in terms:
                tf = counts.get(term)
                if tf:
                    score += np.float32(idf[term] * tf / (tf + norm))
            if score > 0:
                out.append((doc_id, float(score)))
        return out

    # ---- persistence --------------------------------------------------------------------------

    @staticmethod
    def _folder_for(path: Path) -> Path:
        """The index's folder beside the path the store names (`bm25-….json` → `bm25-…/`)."""
        return path.with_suffix("")

    def save(self, path: Path) -> bool:
        """Append the delta's changes to the log; merge into a new base when the delta is large, or
        when the pending documents are as many as the base. False when pending documents stay in
        memory only (not on disk yet)."""
        folder = self._folder_for(path)
        base_docs = len(self._base) if self._base is not None else 0
        delta = len(self._added) + len(self._removed)
        pending = len(self._pending_ids)
        if (
            self._base is None
            or (delta >= MERGE_MIN and delta * MERGE_RATIO > base_docs)
            or (pending and pending >= max(MERGE_MIN, base_docs))
        ):
            self.merge(path)
            return True
        if self._log:
            with (folder / _DELTA).open("a", encoding="utf-8") as fh:
                fh.writelines(json.dumps(change, ensure_ascii=False) + "\n" for change in self._log)
            self._log = []
        return not pending

    def merge(self, path: Path) -> None:
        """Build a new base from every document and switch to it: the base's surviving documents are
        carried over as arrays (no tokenising, no Python loop over them), the delta appended."""
        import numpy as np

        if self._base is not None and not self._added and not self._removed and not self._pending:
            return  # nothing to merge
        folder = self._folder_for(path)
        folder.mkdir(parents=True, exist_ok=True)
        if self._vocab is None:
            self._vocab = dict(self._base.vocab) if self._base is not None else {}
        vocab = self._vocab
        ids: list[str] = []
        parts_len, parts_terms, parts_counts = [], [], []
        if self._base is not None:
            base = self._base
            base_ids = base.ids.tolist()
            newer = self._added.keys() | self._pending_ids.keys()
            keep = np.array([d not in self._removed and d not in newer for d in base_ids], dtype=bool)
            lengths = np.diff(np.asarray(base.offsets))
            ids = [d for d, k in zip(base_ids, keep.tolist(), strict=True) if k]
            parts_len.append(lengths[keep])
            if keep.all():  # a bulk run's growing base: its maps are copied in, never copied twice
                parts_terms.append(base.terms)
                parts_counts.append(base.counts)
            else:
                token_keep = np.repeat(keep, lengths)
                parts_terms.append(np.asarray(base.terms)[token_keep])
                parts_counts.append(np.asarray(base.counts)[token_keep])
        for doc_id, counts in self._added.items():
            ids.append(doc_id)
            parts_len.append(np.array([len(counts)], dtype=np.int64))
            parts_terms.append(np.array([vocab.setdefault(t, len(vocab)) for t in counts], dtype=np.int32))
            parts_counts.append(np.array(list(counts.values()), dtype=np.int32))
        for batch_ids, lengths, terms, counts in self._pending:
            ids.extend(batch_ids)
            parts_len.append(lengths)
            parts_terms.append(terms)
            parts_counts.append(counts)
        self._pending, self._pending_ids = [], {}
        # one copy of each, the parts let go as they are copied in (at 240,000 documents every copy
        # of the terms or the counts is 100 MB, and a concatenate would hold the parts and the whole)
        lengths = _joined(parts_len, np.int64)
        terms = _joined(parts_terms, np.int32)
        counts = _joined(parts_counts, np.int32)
        name = f"base-{uuid.uuid4().hex[:12]}"
        _build(folder / name, ids, lengths, terms, counts, vocab, self.k1, self.b)
        del lengths, terms, counts
        write_atomic(folder / _CURRENT, json.dumps({"base": name}))
        (folder / _DELTA).unlink(missing_ok=True)  # the new base holds it all
        self._base = _Base(folder / name)
        self._vocab = None  # the new base's vocabulary holds every term
        self._added, self._removed, self._log = {}, set(), []
        self._delta_df, self._removed_df = Counter(), Counter()
        for stale in folder.glob("base-*"):
            if stale.name != name:
                shutil.rmtree(stale, ignore_errors=True)  # open maps of it stay valid until closed
        # the path the store names holds a pointer to the folder (and replaces a JSON index of old)
        write_atomic(path, json.dumps({"format": "bm25s", "folder": folder.name}))

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        """Open the base (memory-mapped) and replay the delta log; migrate a JSON index of old."""
        index = cls()
        folder = cls._folder_for(path)
        current = folder / _CURRENT
        if (
            path.is_file()
            and not current.is_file()
            and "docs" not in json.loads(path.read_text(encoding="utf-8"))
        ):
            raise ValueError(
                f"关键词索引目录缺失：{folder}"
            )  # the pointer is there, the index is not: rebuild
        if current.is_file():
            name = json.loads(current.read_text(encoding="utf-8"))["base"]
            index._base = _Base(folder / name)
            meta = json.loads((folder / name / "meta.json").read_text(encoding="utf-8"))
            index.k1, index.b = meta["k1"], meta["b"]
            log = folder / _DELTA
            if log.is_file():
                index._replay(
                    json.loads(line) for line in log.read_text(encoding="utf-8").splitlines() if line
                )
        elif path.is_file() and "docs" in (payload := json.loads(path.read_text(encoding="utf-8"))):
            # the one-JSON-file index of earlier versions
            index.k1, index.b = payload["k1"], payload["b"]
            for doc_id, counts in payload["docs"].items():
                index._added[doc_id] = dict(counts)
                index._delta_df.update(counts.keys())
        return index

    def _replay(self, changes: Iterable[dict[str, object]]) -> None:
        for change in changes:
            if "add" in change:
                doc_id = str(change["add"])
                self.remove(doc_id)
                counts = dict(change["terms"])  # type: ignore[call-overload]
                self._added[doc_id] = counts
                self._delta_df.update(counts.keys())
            else:
                self.remove(str(change["remove"]))
        self._log = []
