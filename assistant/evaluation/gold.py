"""Gold labels as written by people reading the notices (DESIGN.md, "Gold labels").

Besides the records, a gold notice may state what the notice's summary totals claim
(`totals`: the numbers, `{"unreadable": true}` for garbled ones, `null` for none stated);
a file without the key leaves totals unscored.
"""

from __future__ import annotations

import json
from pathlib import Path

from pydantic import BaseModel, Field, ValidationError

from assistant.errors import AuditError
from assistant.models import Status, TotalsCounts


class GoldError(AuditError, ValueError):
    """A gold file that cannot be read; the message names the file and what to fix."""


class GoldRecord(BaseModel):
    problem: str
    category: str | None = None
    parent_problem: str | None = None
    status: Status
    measures: int = Field(ge=0)
    concrete: bool
    vague: bool
    why: str = ""
    place: str | None = None  # the numbering path as written: "二、(一)3."
    partial: bool = False  # cut off by the end of the text


class GoldTotals(TotalsCounts):
    """The totals a labeller read: the counts, or `unreadable` (no text or span in a gold file)."""


class GoldNotice(BaseModel):
    notice: str  # file name of the notice in the notices folder
    notes: str = ""
    totals: GoldTotals | None = None
    records: list[GoldRecord]

    @property
    def totals_labelled(self) -> bool:
        """Whether the labeller stated the totals (`null` included) rather than leaving them out."""
        return "totals" in self.model_fields_set


def load_gold(gold_dir: Path) -> list[GoldNotice]:
    """Every `*.json` in the folder, sorted by name."""
    if not gold_dir.is_dir():
        raise GoldError(f"金标准目录不存在：{gold_dir}（用 --gold 指定包含 <通报文件名>.json 的目录）")
    out = []
    for path in sorted(gold_dir.glob("*.json")):
        try:
            out.append(GoldNotice.model_validate(json.loads(path.read_text(encoding="utf-8"))))
        except (json.JSONDecodeError, ValidationError) as exc:
            raise GoldError(f"金标准文件 {path.name} 格式有误：{exc}") from exc
    if not out:
        raise GoldError(f"金标准目录 {gold_dir} 中没有 .json 文件。")
    return out
