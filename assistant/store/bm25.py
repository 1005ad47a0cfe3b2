"""Okapi BM25 over jieba tokens, small enough to keep in memory and persist as JSON."""

from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

from assistant.atomic import write_atomic
from assistant.text.tokens import search_terms


class BM25Index:
    def __init__(self, k1: float = 1.5, b: float = 0.5) -> None:
        # b=0.5, not the textbook 0.75: record chunks run 200–1500 chars and a long record is long
        # because it lists more measures, not because it is verbose; full length normalisation let
        # short records win on the unit name alone ("张家界交警支队 执法不规范" → 基层党建不规范).
        self.k1 = k1
        self.b = b
        self.docs: dict[str, Counter[str]] = {}
        self.lengths: dict[str, int] = {}
        self.df: Counter[str] = Counter()

    def add(self, doc_id: str, text: str) -> None:
        self.remove(doc_id)
        tokens = search_terms(text)
        counts = Counter(tokens)
        self.docs[doc_id] = counts
        self.lengths[doc_id] = len(tokens)
        self.df.update(counts.keys())

    def remove(self, doc_id: str) -> None:
        counts = self.docs.pop(doc_id, None)
        if counts is None:
            return
        self.lengths.pop(doc_id, None)
        self.df.subtract(counts.keys())
        for token in counts:
            if self.df[token] <= 0:
                del self.df[token]

    def __len__(self) -> int:
        return len(self.docs)

    def __contains__(self, doc_id: object) -> bool:
        return doc_id in self.docs

    def idf(self, token: str) -> float:
        n = len(self.docs)
        df = self.df.get(token, 0)
        return math.log(1 + (n - df + 0.5) / (df + 0.5))

    def scores(self, query: str, allowed: set[str] | None = None) -> list[tuple[str, float]]:
        """Documents with a positive score, best first (ties by id, for stable order)."""
        terms = search_terms(query)
        if not terms or not self.docs:
            return []
        avg = sum(self.lengths.values()) / len(self.lengths)
        weights = {t: self.idf(t) for t in set(terms)}
        out: list[tuple[str, float]] = []
        for doc_id, counts in self.docs.items():
            if allowed is not None and doc_id not in allowed:
                continue
            length_norm = self.k1 * (1 - self.b + self.b * self.lengths[doc_id] / avg)
            score = 0.0
            for term, weight in weights.items():
                tf = counts.get(term)
                if tf:
                    score += weight * tf * (self.k1 + 1) / (tf + length_norm)
            if score > 0:
                out.append((doc_id, score))
        out.sort(key=lambda item: (-item[1], item[0]))
        return out

    def save(self, path: Path) -> None:
        payload = {"k1": self.k1, "b": self.b, "docs": {d: dict(c) for d, c in self.docs.items()}}
        write_atomic(path, json.dumps(payload, ensure_ascii=False))

    @classmethod
    def load(cls, path: Path) -> BM25Index:
        index = cls()
        if not path.is_file():
            return index
        payload = json.loads(path.read_text(encoding="utf-8"))
        index.k1, index.b = payload["k1"], payload["b"]
        for doc_id, counts in payload["docs"].items():
            index.docs[doc_id] = Counter(counts)
            index.lengths[doc_id] = sum(counts.values())
            index.df.update(counts.keys())
        return index
