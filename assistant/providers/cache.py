"""A file cache of validated LLM outputs, keyed by (notice hash, prompt version, model).

One file per call, written the moment the call succeeds: re-running a bulk extraction costs
nothing, and an interrupted run resumes where it stopped. Failures are never cached, so a
re-run retries exactly the calls that failed.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import re
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from assistant.atomic import write_atomic


def text_hash(text: str, n: int = 16) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:n]


class CacheKey(BaseModel):
    notice_hash: str  # sha256 of the normalised notice text
    prompt: str  # prompt name and version, "extract_record.v1"
    model: str
    input_hash: str  # the exact messages and schema sent (record section, context)

    def relative_path(self) -> Path:
        model = re.sub(r"[^\w.-]+", "_", self.model) or "model"
        return Path(model) / self.notice_hash / f"{self.prompt}-{self.input_hash}.json"


class CacheEntry(BaseModel):
    key: CacheKey
    output: dict[str, Any]
    method: str
    input_tokens: int = 0
    output_tokens: int = 0


class ResponseCache:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def path(self, key: CacheKey) -> Path:
        return self.root / key.relative_path()

    def get(self, key: CacheKey) -> CacheEntry | None:
        path = self.path(key)
        try:
            return CacheEntry.model_validate_json(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None  # missing or damaged: call again

    def put(self, entry: CacheEntry) -> None:
        write_atomic(self.path(entry.key), entry.model_dump_json(indent=1))

    def read_json(self, name: str) -> dict[str, Any]:
        try:
            data = json.loads((self.root / name).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        return data if isinstance(data, dict) else {}

    def write_json(self, name: str, data: dict[str, Any]) -> None:
        with contextlib.suppress(OSError):  # a memo only; never fail a run over it
            write_atomic(self.root / name, json.dumps(data, ensure_ascii=False, indent=1))


__all__ = ["CacheEntry", "CacheKey", "ResponseCache", "text_hash"]
