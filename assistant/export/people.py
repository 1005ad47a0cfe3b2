"""Record fields written for people: the place as its numbering path, evidence, flags and severity in words."""

from __future__ import annotations

from assistant.models import SEVERITY_RANK, Flag, Record, Severity
from assistant.naming import EVIDENCE_LABELS, SEVERITY_LABELS, flag_label

_NO_SPACE_AFTER = ("、", "）", "】", "，")


def place(record: Record) -> str:
    """Where the record sits in the notice, as its numbering is written: `二、(三) 3.`.

    Falls back to the record id for records stored before the numbering was kept.
    """
    labels = [label.strip() for label in record.outline_labels if label.strip()]
    if not labels:
        return record.record_id
    out = labels[0]
    for label in labels[1:]:
        out += label if out.endswith(_NO_SPACE_AFTER) else f" {label}"
    return out


def evidence_text(record: Record) -> str:
    """`金额：8976元；日期：2022年3月15日` — every specific found in the measures, in reading order."""
    return "；".join(f"{EVIDENCE_LABELS.get(e.type, e.type.value)}：{e.text}" for e in record.evidence)


def measures_text(record: Record) -> str:
    return "\n".join(f"{i}. {m.text}" for i, m in enumerate(record.measures, 1))


def flags_text(flags: list[Flag]) -> str:
    return "、".join(dict.fromkeys(flag_label(f.code) for f in flags))


def reasons_text(flags: list[Flag]) -> str:
    """Each flag's label with its reason: `【声称完成但措施空泛】声称“整改结果：完成”，但…`."""
    return "\n".join(f"【{flag_label(f.code)}】{f.reason}" for f in flags)


def top_severity(flags: list[Flag]) -> Severity | None:
    return min((f.severity for f in flags), key=SEVERITY_RANK.__getitem__, default=None)


def severity_text(flags: list[Flag]) -> str:
    top = top_severity(flags)
    return SEVERITY_LABELS[top] if top else ""


def yes_no(value: bool) -> str:
    return "是" if value else "否"
