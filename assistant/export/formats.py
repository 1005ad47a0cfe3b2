"""Which file formats the exports write, chosen by the output file's extension."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from assistant.errors import AuditError

ExportFormat = Literal["csv", "xlsx", "jsonl", "json"]
SUFFIX_FORMATS: dict[str, ExportFormat] = {".csv": "csv", ".xlsx": "xlsx", ".jsonl": "jsonl", ".json": "json"}


class ExportError(AuditError, ValueError):
    """An output path whose format we cannot write."""


def format_for(path: Path) -> ExportFormat:
    try:
        return SUFFIX_FORMATS[Path(path).suffix.lower()]
    except KeyError:
        raise ExportError(
            f"不支持的输出格式“{Path(path).suffix or '(无扩展名)'}”：请用 .csv、.xlsx、.jsonl 或 .json 结尾的文件名。"
        ) from None
