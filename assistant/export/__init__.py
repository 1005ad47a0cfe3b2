"""Exports of extracted records, streamed notice by notice.

- the reviewer's workbook (.xlsx): 整改记录 / 存疑清单 / 通报汇总 in Chinese, machine columns on 技术字段;
- CSV with every machine column; JSON Lines with the record's own field names; JSON of whole results.

`open_writer(path)` takes one NoticeResult at a time (what `audit extract` feeds as notices finish);
`write_results` and `to_bytes` are the same writer over a list. Names are imported on first use, so
the light parts (`people`, `notices`) do not load openpyxl.
"""

from __future__ import annotations

from assistant.lazy import lazy_exports

_EXPORTS = {
    "SUFFIX_FORMATS": "assistant.export.formats",
    "ExportError": "assistant.export.formats",
    "ExportFormat": "assistant.export.formats",
    "format_for": "assistant.export.formats",
    "RECORD_COLUMNS": "assistant.export.machine",
    "jsonl_lines": "assistant.export.machine",
    "record_row": "assistant.export.machine",
    "ResultWriter": "assistant.export.writer",
    "open_writer": "assistant.export.writer",
    "read_jsonl_records": "assistant.export.writer",
    "to_bytes": "assistant.export.writer",
    "write_results": "assistant.export.writer",
}

__all__ = list(_EXPORTS)


__getattr__ = lazy_exports("assistant.export", _EXPORTS, globals())
