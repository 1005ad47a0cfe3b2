"""Chinese names for the stable English codes, for the pages (the one table is `assistant.naming`)."""

from __future__ import annotations

from assistant.naming import EVIDENCE_LABELS, EXTRACTOR_LABELS, FLAG_LABELS

__all__ = [
    "ACTION_LABELS",
    "EVIDENCE_LABELS",
    "EXTRACTOR_LABELS",
    "FLAG_LABELS",
    "SEVERITY_BADGES",
    "STATUS_ORDER",
]

SEVERITY_BADGES: dict[str, str] = {
    "high": ":red-badge[高]",
    "medium": ":orange-badge[中]",
    "low": ":blue-badge[低]",
}
ACTION_LABELS: dict[str, str] = {
    "added": "已新增",
    "updated": "已更新",
    "replaced": "已替换旧版本",
    "unchanged": "已存在，未变化",
}
STATUS_ORDER = ["完成", "阶段性完成", "推进中", "未说明"]
