"""Chinese names for the stable English codes the models use (flags, severities, evidence, actions)."""

from __future__ import annotations

FLAG_LABELS: dict[str, str] = {
    "vague_completion": "声称完成但措施空泛",
    "generic_only": "措施均为一般性表述",
    "study_only": "仅靠学习、培训或会议",
    "future_tense_completion": "声称完成但措施是承诺",
    "totals_mismatch": "汇总数字与记录不符",
    "totals_unreadable": "汇总数字无法识别",
    "no_records": "未抽取到整改记录",
    "truncated": "正文不完整",
    "llm_disagrees": "大模型判断与规则不同",
}
SEVERITY_BADGES: dict[str, str] = {
    "high": ":red-badge[高]",
    "medium": ":orange-badge[中]",
    "low": ":blue-badge[低]",
}
EVIDENCE_LABELS: dict[str, str] = {
    "date": "日期",
    "quantity": "数量",
    "money": "金额",
    "document": "文件制度",
    "personnel_action": "人事处理",
    "physical_change": "实物或机构变化",
}
EXTRACTOR_LABELS: dict[str, str] = {
    "rules": "规则抽取（离线）",
    "llm": "大模型抽取",
    "hybrid": "规则 + 大模型复核",
}
ACTION_LABELS: dict[str, str] = {
    "added": "已新增",
    "updated": "已更新",
    "replaced": "已替换旧版本",
    "unchanged": "已存在，未变化",
}
STATUS_ORDER = ["完成", "阶段性完成", "推进中", "未说明"]
