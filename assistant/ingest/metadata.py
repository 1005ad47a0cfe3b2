"""Notice metadata read from the normalised text: who issued it, when, about which inspection.

The metadata is what a reviewer sorts and filters hundreds of notices by, and the totals
sentence is a claim the records are checked against (`totals_mismatch`), so every value is
read from the words of the notice and nothing is guessed: a date that cannot be read is
reported in `date_note` rather than repaired.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from assistant.ingest.normalise import IDEO, is_web_chrome
from assistant.ingest.totals import parse_totals
from assistant.models import NoticeMeta
from assistant.text.numerals import cn_number

_CN = "〇零○一二两三四五六七八九十百"
NUM = rf"\d+|[{_CN}]+"

_DATE_ARABIC = r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"
_DATE_CN = rf"(?P<cy>[〇零○一二三四五六七八九]{{4}})年(?P<cm>[{_CN}]{{1,3}})月(?P<cd>[{_CN}]{{1,3}})日"
_DATE_ISO = r"(?P<iy>\d{4})\s*[-/.]\s*(?P<im>\d{1,2})\s*[-/.]\s*(?P<id>\d{1,2})(?!\d)"
DATE = re.compile(f"{_DATE_ARABIC}|{_DATE_CN}|{_DATE_ISO}")
_DATE_LINE_START = re.compile(r"^(?:\d{4}\s*[年\-/.]|[〇零○一二三四五六七八九]{4}年)")

_WEB_DATE = re.compile(
    r"(?:发布日期|发布时间|发文日期|发文时间|成文日期|印发日期|发布于)\s*[:：]?\s*(?P<value>[^\s　]{0,20})"
)
# A newspaper's own date line at the top ("XX日报数字报 2025-01-09", "XX日报 2025年1月9日 第3版").
_PAPER_DATE = re.compile(r"(?:日报|晚报|时报|报社|数字报|电子版|新闻网|融媒)")
# Dates whose digits were lost in publishing ("2023315日至202356日"): unreadable, never guessed.
_LOST_DIGITS = re.compile(r"(?<![\d年月])\d{5,8}日(?:\s*(?:至|到|—|-|~|～)\s*\d{4,8}日)?")

_GROUP = re.compile(
    rf"(?:中央|[省市县区州旗盟]委)(?:第[{_CN}\d]+|[{_CN}\d]+)?(?:专项|机动|提级)?巡[察视](?:工作)?组"
    rf"|(?:[省市县区州旗盟]委)巡[察视](?:工作)?第[{_CN}\d]+组"
)
_UNIT = re.compile(
    r"巡[察视](?:工作)?组(?:对|进驻)(?P<unit>[^，。；：\n]{2,40}?)(?:党委|党组)?(?:开展|进行|实施)"
)
_PRONOUN_UNIT = re.compile(r"^[我本](?:局|单位|委|院|部|办|中心|队|支队|大队|公司|校|党组|党委|们)$")

_PERIOD = re.compile(
    r"(?P<y1>\d{4})年(?P<m1>\d{1,2})月(?P<d1>\d{1,2})日?\s*(?:至|到|—|–|-|~|～)\s*"
    r"(?:(?P<y2>\d{4})年)?(?:(?P<m2>\d{1,2})月)?(?P<d2>\d{1,2})日"
)
_MONTH_DAY = re.compile(r"(?:(?P<y>\d{4})年)?(?P<m>\d{1,2})月(?P<d>\d{1,2})日")

_ORG_SUFFIX = re.compile(
    r"(?:委员会|党组|党委|党总支|总支部|支部|纪委|监委|大队|支队|中队|局|办公室|政府|中心|公司|集团|院|所|站|处|部|委|厅|"
    r"学校|医院|小组)$"
)
_SENTENCE_PUNCT = re.compile(r"[，。；：！？,;:!?]")
_TITLE_LABEL = re.compile(r"^[-•·*\s]*(?:名称|标题|题目)[:：]\s*")

_TOTALS_ANCHOR = re.compile(r"巡[察视](?:工作)?组?(?:共|累计|共计)?反馈")
_COUNT = re.compile(rf"(?P<n>{NUM})\s*(?:个|项|条|件)")
_PARTIAL = re.compile(r"阶段|基本完成|部分完成|初步完成|持续整改")  # as DESIGN.md's status rules
_IN_PROGRESS = re.compile(r"正在|推进中|持续推进|未完成|尚未|整改中|未整改")
_COMPLETED = re.compile(r"完成|到位|已整改|办结|销号")

SIGNATURE_LINES = 10
"""How many non-blank lines at the end of a notice may hold the signature and its date."""


@dataclass
class _Line:
    text: str
    start: int


def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for line in text.split("\n"):
        out.append(_Line(line, pos))
        pos += len(line) + 1
    return out


def parse_date(text: str) -> dt.date | None:
    """The first complete, valid date in `text` ("2024年7月9日", "二〇二五年三月二十一日", "2025-06-12")."""
    m = DATE.search(text)
    if not m:
        return None
    return _date_from_match(m)


def _date_from_match(m: re.Match[str]) -> dt.date | None:
    if m.group("y"):
        parts = (m.group("y"), m.group("m"), m.group("d"))
    elif m.group("cy"):
        parts = (m.group("cy"), m.group("cm"), m.group("cd"))
    else:
        parts = (m.group("iy"), m.group("im"), m.group("id"))
    numbers = [cn_number(p) for p in parts]
    if any(n is None for n in numbers):
        return None
    return _safe_date(*numbers)  # type: ignore[arg-type]


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def parse_meta(text: str) -> NoticeMeta:
    """All metadata of a normalised notice; fields the notice does not state stay None."""
    lines = _lines(text)
    preamble = _preamble(text)
    title = _title(lines)
    organisation = _signature_org(lines) or _org_from_title(title)
    meta = NoticeMeta(organisation=organisation, title=title)
    _fill_published(meta, lines)

    group = _GROUP.search(preamble)
    meta.inspection_group = group.group(0) if group else None
    unit = _UNIT.search(preamble)
    if unit:
        meta.inspected_unit = _unit_name(unit, organisation)

    period = _PERIOD.search(preamble)
    if period:
        meta.period_text = period.group(0)
        meta.period_start, meta.period_end = _period_dates(period)
    else:
        lost = _LOST_DIGITS.search(preamble)
        if lost:
            meta.period_text = lost.group(0)
            note = f"巡察时间“{lost.group(0)}”缺少字符，无法识别。"
            meta.date_note = f"{meta.date_note} {note}" if meta.date_note else note
    meta.feedback_date, meta.feedback_text = _feedback(preamble, period, meta.period_end or meta.period_start)
    meta.totals = parse_totals(text)
    return meta


def _preamble(text: str) -> str:
    """The opening of the notice, where the inspection is introduced (before the records)."""
    return text[:3000]


# --- title and organisation -------------------------------------------------------------------


def _title_like(line: str) -> bool:
    return 0 < len(line) <= 40 and not _SENTENCE_PUNCT.search(line) and not _DATE_LINE_START.match(line)


def _title(lines: list[_Line]) -> str | None:
    """The line with 通报 near the top, with the title lines printed directly above it."""
    for i, line in enumerate(lines[:20]):
        if "。" in line.text:  # the prose has started: this notice has no title
            return None
        candidate = _TITLE_LABEL.sub("", line.text)
        if "通报" not in candidate or len(candidate) > 100 or _WEB_DATE.search(candidate):
            continue
        parts = [candidate]
        j = i - 1
        while (
            j >= 0
            and len(parts) < 4
            and _title_like(lines[j].text)
            and not is_web_chrome(lines[j].text)
            and not (j > 0 and lines[j - 1].text.rstrip().endswith(("：", ":")))  # an info-table value
        ):
            parts.insert(0, lines[j].text)
            j -= 1
        return "".join(parts)
    return None


def _org_from_title(title: str | None) -> str | None:
    """The issuer printed before 关于 in the title ("望江县公安局交通管理大队关于…的通报")."""
    if not title:
        return None
    head, sep, _ = title.partition("关于")
    return head if sep and 2 <= len(head) <= 40 else None


def _signature_org(lines: list[_Line]) -> str | None:
    """The issuing organisation printed above the date at the end of the notice."""
    for line in _tail(lines):
        text = line.text
        if (
            len(text) <= 40
            and not _SENTENCE_PUNCT.search(text)
            and not re.search(r"\d", text)
            and _ORG_SUFFIX.search(text)
            and re.search(f"[{IDEO}]", text)
        ):
            return text
    return None


def _tail(lines: list[_Line]) -> list[_Line]:
    """The last non-blank lines, last first."""
    tail = [line for line in reversed(lines) if line.text.strip()]
    return tail[:SIGNATURE_LINES]


# --- dates ------------------------------------------------------------------------------------


def _fill_published(meta: NoticeMeta, lines: list[_Line]) -> None:
    """Publication date: a web page's 发布日期 wins over the signature date; unreadable → a note."""
    web_text, web_date = None, None
    for i, line in enumerate(lines[:15]):
        m = _WEB_DATE.search(line.text)
        if m:
            value = m.group("value").strip()
            if not value:  # an info table: the value sits on the next line ("成文日期：" ⏎ "2024-03-18")
                value = next((x.text.strip() for x in lines[i + 1 : i + 3] if x.text.strip()), "")
            web_text = value or line.text
            web_date = parse_date(value)
            break
    if web_date is None:
        for line in lines[:5]:
            if len(line.text) <= 40 and _PAPER_DATE.search(line.text) and parse_date(line.text):
                web_text, web_date = line.text.strip(), parse_date(line.text)
                break
    sig_text, sig_date = None, None
    for line in _tail(lines):
        text = line.text.strip()
        if len(text) <= 20 and _DATE_LINE_START.match(text):
            sig_text, sig_date = text, parse_date(text)
            break

    if web_date:
        meta.published, meta.published_text = web_date, web_text
        if sig_text and sig_date is None:
            meta.date_note = f"落款日期无法识别：{sig_text}；已采用网页标注的发布日期 {web_text}。"
    elif sig_date:
        meta.published, meta.published_text = sig_date, sig_text
        if web_text:
            meta.date_note = f"网页标注的发布日期无法识别：{web_text}；已采用落款日期 {sig_text}。"
    elif sig_text or web_text:
        shown = sig_text or web_text
        meta.published_text = shown
        meta.date_note = f"发布日期无法识别：{shown}。请核对原文。"
    else:
        meta.date_note = "未找到发布日期：通报中没有落款日期或网页发布日期。"


def _period_dates(m: re.Match[str]) -> tuple[dt.date | None, dt.date | None]:
    """Period dates; in "2024年3月7日至5月31日" the end inherits the start's year (and month)."""
    y1, m1, d1 = int(m.group("y1")), int(m.group("m1")), int(m.group("d1"))
    start = _safe_date(y1, m1, d1)
    m2 = int(m.group("m2")) if m.group("m2") else m1
    d2 = int(m.group("d2"))
    rolls_over = (m2, d2) < (m1, d1)  # "2023年11月28日至1月5日" ends in the next year
    y2 = int(m.group("y2")) if m.group("y2") else y1 + rolls_over
    return start, _safe_date(y2, m2, d2)


def _feedback(
    preamble: str, period: re.Match[str] | None, reference: dt.date | None
) -> tuple[dt.date | None, str | None]:
    """The date of the sentence saying the group fed its findings back (反馈) to the unit."""
    skip = range(period.start(), period.end()) if period else range(0)
    pos = 0
    for sentence in re.split("(?<=。)", preamble):
        start_of_sentence = pos
        pos += len(sentence)
        at = sentence.find("反馈")
        if at < 0 or "个" in sentence[at : at + 12]:  # "巡察反馈的9个具体问题" is the totals, not this
            continue
        dates = [
            d
            for d in _MONTH_DAY.finditer(sentence)
            if start_of_sentence + d.start() not in skip and start_of_sentence + d.end() - 1 not in skip
        ]
        if not dates:
            continue
        before = [d for d in dates if d.start() < at]
        chosen = before[-1] if before else dates[0]
        month, day = int(chosen.group("m")), int(chosen.group("d"))
        if chosen.group("y"):
            year = int(chosen.group("y"))
        elif reference:
            year = reference.year + (1 if (month, day) < (reference.month, reference.day) else 0)
        else:
            return None, chosen.group(0)
        return _safe_date(year, month, day), chosen.group(0)
    return None, None


def _unit_name(m: re.Match[str], organisation: str | None) -> str:
    """The inspected unit as written, with "我局" resolved to the issuing organisation."""
    unit = m.group("unit").strip()
    for suffix in ("党委", "党组"):
        if m.string.startswith(suffix, m.end("unit")):
            unit += suffix
    if _PRONOUN_UNIT.match(unit) and organisation:
        return organisation
    return unit
