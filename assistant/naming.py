"""Names for people: a notice as `单位 · 发布日期` (and its round), the codes the models use in Chinese.

Every interface (CLI tables, app pages, charts, exports, the memo, citation labels) names a notice
through `NoticeName`, so a reviewer sees the same words everywhere; the file name stays available
as the secondary `file` line. The Chinese labels of flag codes, severities, evidence types and
extractors live here too, the one table every output reads.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Iterable
from typing import Protocol

from pydantic import BaseModel

from assistant.models import EvidenceType, FlagCode, NoticeResult, Severity

SEPARATOR = " · "
NO_DATE = "日期未注明"

FLAG_LABELS: dict[str, str] = {
    FlagCode.VAGUE_COMPLETION: "声称完成但措施空泛",
    FlagCode.GENERIC_ONLY: "措施均为一般性表述",
    FlagCode.STUDY_ONLY: "仅靠学习、培训或会议",
    FlagCode.FUTURE_TENSE_COMPLETION: "声称完成但措施是承诺",
    FlagCode.TOTALS_MISMATCH: "汇总数字与记录不符",
    FlagCode.TOTALS_UNREADABLE: "汇总数字无法识别",
    FlagCode.NO_RECORDS: "未抽取到整改记录",
    FlagCode.TRUNCATED: "正文不完整",
    FlagCode.LLM_DISAGREES: "大模型判断与规则不同",
}
SEVERITY_LABELS: dict[str, str] = {Severity.HIGH: "高", Severity.MEDIUM: "中", Severity.LOW: "低"}
EVIDENCE_LABELS: dict[str, str] = {
    EvidenceType.DATE: "日期",
    EvidenceType.QUANTITY: "数量",
    EvidenceType.MONEY: "金额",
    EvidenceType.DOCUMENT: "文件制度",
    EvidenceType.PERSONNEL_ACTION: "人事处理",
    EvidenceType.PHYSICAL_CHANGE: "实物或机构变化",
}
EXTRACTOR_LABELS: dict[str, str] = {
    "rules": "规则抽取（离线）",
    "llm": "大模型抽取",
    "hybrid": "规则 + 大模型复核",
}

# "十四届市委第二轮巡察", "省委第五轮巡视": the round an inspection belongs to, when the title says it
_ROUND = re.compile(
    r"(?:[一二三四五六七八九十]+届)?(?:[省市州县区旗]委)?第[一二三四五六七八九十百零〇\d]+轮(?:巡察|巡视)?"
)


def flag_label(code: str) -> str:
    """The Chinese name of a flag code (an unknown code is shown as it is rather than hidden)."""
    return FLAG_LABELS.get(code, code)


def chinese_date(day: dt.date | None) -> str | None:
    return f"{day.year}年{day.month}月{day.day}日" if day else None


def round_of(*texts: str | None) -> str | None:
    """The inspection round named in the first text that names one ("十四届市委第二轮巡察")."""
    for text in texts:
        if text and (m := _ROUND.search(text)):
            return m.group(0)
    return None


class NoticeName(BaseModel):
    """What a notice is called for people: issuing unit, publication date, round; the file second."""

    organisation: str | None = None
    published: dt.date | None = None
    round: str | None = None
    file: str

    @classmethod
    def of(
        cls,
        source_name: str,
        organisation: str | None = None,
        published: dt.date | None = None,
        title: str | None = None,
        inspection_group: str | None = None,
    ) -> NoticeName:
        return cls(
            organisation=organisation or None,
            published=published,
            round=round_of(title, inspection_group),
            file=source_name,
        )

    @classmethod
    def of_result(cls, result: NoticeResult) -> NoticeName:
        meta = result.meta
        return cls.of(
            result.source_name, meta.organisation, meta.published, meta.title, meta.inspection_group
        )

    @property
    def unit(self) -> str:
        """The issuing unit, or the file name when the notice does not say who issued it."""
        return self.organisation or self.file

    @property
    def date(self) -> str:
        return chinese_date(self.published) or NO_DATE

    @property
    def label(self) -> str:
        """`单位 · 2025年3月21日` (`· 第二轮巡察` when the round is known)."""
        if not self.organisation:
            return self.file
        parts = [self.organisation, self.date]
        if self.round:
            parts.append(self.round)
        return SEPARATOR.join(parts)

    @property
    def with_file(self) -> str:
        """The label with the file name after it, for places where two notices could share a label."""
        return self.label if self.label == self.file else f"{self.label}（{self.file}）"


class StoredLike(Protocol):
    """What the store's notice list gives for each notice (`StoredNotice`)."""

    notice_id: str
    source_name: str
    organisation: str | None
    published: dt.date | None
    title: str | None


def names_by_notice(stored: Iterable[StoredLike]) -> dict[str, str]:
    """Display names of stored notices by notice id (the file name added where two would share one)."""
    stored = list(stored)
    names = [NoticeName.of(n.source_name, n.organisation, n.published, n.title) for n in stored]
    return dict(zip((n.notice_id for n in stored), distinct_labels(names), strict=True))


def notice_label(result: NoticeResult) -> str:
    """The display name of a notice's result (the one function the interfaces call)."""
    return NoticeName.of_result(result).label


def distinct_labels(names: Iterable[NoticeName]) -> list[str]:
    """Labels in order, the file name added only where two notices would otherwise share one."""
    names = list(names)
    counts = Counter(n.label for n in names)
    return [n.with_file if counts[n.label] > 1 else n.label for n in names]
