"""Find the concrete, checkable specifics in a measure (DESIGN.md, "Concrete or vague").

Each finder is a pattern for one evidence type plus, where the type needs it, a check on the
clause around the match (a date must be tied to a done action, a document must be one the
unit made rather than one it cites). Everything found carries its span in the notice.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from assistant.models import Evidence, EvidenceType, Span

NUM = r"\d+(?:\.\d+)?"
CN_COUNT = r"[两二三四五六七八九十百千]+"

MONEY_RE = re.compile(
    rf"{NUM}\s*(?:余|多)?\s*(?:万|亿|千)?\s*元|(?<=罚款|资金|投入|投资|收入|贷款|筹集){NUM}\s*(?:余|多)?\s*(?:万|亿)(?!元)"
)
UNITS = (
    "人次|余人次|万人次|万次|场次|轮次|架次|车次|人|名|个|台|辆|次|场|起|件|份|张|块|处|套|条|期|轮|家|座|公里|千米|延米|米|"
    "盏|位|批|项|篇|本|户|所|支|组|队|根|面|幅|分钟|小时|天|万余|万|元|分|余起|余台|余场|余人|余条|余次|余名|余家"
)
QUANTITY_RE = re.compile(
    rf"(?:{NUM}\s*(?:余|多)?\s*(?:{UNITS})(?![年月日号])|(?:下降|上升|提高|减少|增长|降低|达到|达|提升|超过)?\s*{NUM}\s*[%％])"
)
CN_QUANTITY_RE = re.compile(rf"(?<![第一])({CN_COUNT})(?:名|期|批|人|处)(?!问题|方面)")
DATE_RE = re.compile(
    r"(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|初|末|中旬|上旬|下旬)(?:前)?|\d{4}\s*年\s*\d{1,2}\s*月(?:份)?"
)
DOC_VERBS = "制定|制订|修订|修改|出台|印发|建立|完善|健全|起草|编制|下发|发布|形成|重新制定|更新制作|签订"
DOCUMENT_RE = re.compile(
    rf"(?:{DOC_VERBS})(?:了|完善了|出台了)?(?P<gap>[^，,。；;：:《“]{{0,24}}?)(?P<doc>《[^》]{{2,60}}》|“[^”]{{2,30}}(?:清单|制度|方案|办法|规定|细则|计划|机制|手册|标准|指引)”|〔\d{{4}}〕\d+号)"
)
DOC_BASIS_RE = re.compile(r"根据|按照|依照|依据|结合|参照|对照|学习|遵照|贯彻")
PERSONNEL_RE = re.compile(
    r"免去[^，。；]{0,20}职务|免职|撤职|撤销[^，。；]{0,10}职务|调离[^，。；]{0,12}|诫勉谈话|诫勉|提醒谈话|谈话提醒|约谈[^，。；]{0,16}|"
    r"通报批评|责令[^，。；]{0,10}检查|深刻检讨|书面检查|扣缴[^，。；]{0,20}|扣发[^，。；]{0,20}|(?:党纪|政务|行政)处分|"
    r"警告处分|记过|降级|开除|停职|调岗|批评教育|退回[^，。；]{0,6}(?:大队|中队|基层)|下沉到[^，。；]{0,8}"
)
PHYSICAL_RE = re.compile(
    r"(?:设立|设置|加装|安装|增设|新建|新设|配备|配齐|更换|拆除|粘贴|张贴|悬挂|施划|建成|建设|改造|取消|调整|组建|成立|"
    r"退回|上交|上缴|追回|追缴|清退|收缴|核销|补记|登记|签订|开具|取消了|启动|招录|引进|采购|购置|完成了|"
    r"搬移至|搬至|移至|迁至|腾退)"
    r"(?:了)?[^，。；;]{1,24}"
)
# physical/organisational changes need an object that is a thing or a body, not an abstraction
PHYSICAL_OBJECT_RE = re.compile(
    r"室|标志|标牌|标线|护栏|抓拍|监控|系统|设备|岗亭|机器人|电子屏|提示语|横幅|海报|红绿灯|信号|车位|泊位|停放点|"
    r"中队|大队|专班|执法队|领导小组|工作小组|指挥部|组长|国库|财政|款|金|费|发票|清单|合同|账|公交车|车辆|警力|民警|"
    r"辅警|会计|公务员|人才|本科生|报价单|资产|发票|窗口|台账|考场|导图"
)
FUTURE_RE = re.compile(r"将|计划|拟|力争|争取|待|尽快|预计|准备")
DONE_RE = re.compile(r"已|了|完成|目前")

Finder = Callable[[str], Iterator[tuple[int, int]]]


def _clause(text: str, start: int, end: int) -> str:
    left = max(text.rfind(p, 0, start) for p in "，,。；;：:\n") + 1
    rights = [i for i in (text.find(p, end) for p in "，,。；;\n") if i >= 0]
    return text[left : min(rights) if rights else len(text)]


def _planned(text: str, start: int, end: int) -> bool:
    """A number in a clause that only plans or promises ("2024年计划改建…21.6公里")."""
    clause = _clause(text, start, end)
    return bool(re.search(r"计划|将|拟|力争|争取|预计", clause)) and not re.search(r"已|了", clause)


def _money(text: str) -> Iterator[tuple[int, int]]:
    for m in MONEY_RE.finditer(text):
        if not _planned(text, m.start(), m.end()):
            yield m.start(), m.end()


def _quantity(text: str) -> Iterator[tuple[int, int]]:
    for m in QUANTITY_RE.finditer(text):
        # a number glued to a date or a document number is not a quantity
        before = text[max(0, m.start() - 1) : m.start()]
        if (before and before in "〔[第") or _planned(text, m.start(), m.end()):
            continue
        yield m.start(), m.end()
    for m in CN_QUANTITY_RE.finditer(text):
        clause = _clause(text, m.start(), m.end())
        if FUTURE_RE.search(clause) or "每" in text[max(0, m.start() - 3) : m.start()]:
            continue
        yield m.start(1), m.end()


def _date(text: str) -> Iterator[tuple[int, int]]:
    for m in DATE_RE.finditer(text):
        clause = _clause(text, m.start(), m.end())
        if FUTURE_RE.search(clause) and not re.search(r"已|了", clause):
            continue  # a promised deadline is not evidence of what was done
        yield m.start(), m.end()


def _document(text: str) -> Iterator[tuple[int, int]]:
    for m in DOCUMENT_RE.finditer(text):
        if DOC_BASIS_RE.search(m.group("gap")):
            continue
        clause = _clause(text, m.start(), m.end())
        if FUTURE_RE.search(text[max(0, m.start() - 4) : m.start()]) and "已" not in clause:
            continue
        yield m.start("doc"), m.end("doc")


def _personnel(text: str) -> Iterator[tuple[int, int]]:
    for m in PERSONNEL_RE.finditer(text):
        clause = _clause(text, m.start(), m.end())
        if re.search(r"将|拟|计划", text[max(0, m.start() - 6) : m.start()]):
            continue
        if m.group(0).startswith("约谈") and "约谈机制" in clause:
            continue
        yield m.start(), m.end()


def _physical(text: str) -> Iterator[tuple[int, int]]:
    for m in PHYSICAL_RE.finditer(text):
        phrase = m.group(0)
        if not PHYSICAL_OBJECT_RE.search(phrase):
            continue
        clause = _clause(text, m.start(), m.end())
        if FUTURE_RE.search(text[max(0, m.start() - 4) : m.start()]) and "已" not in clause:
            continue
        if re.search(r"机制|意识|力度|水平|能力|作风|管理$", phrase):
            continue
        yield m.start(), m.end()


FINDERS: dict[EvidenceType, Finder] = {
    EvidenceType.MONEY: _money,
    EvidenceType.QUANTITY: _quantity,
    EvidenceType.DATE: _date,
    EvidenceType.DOCUMENT: _document,
    EvidenceType.PERSONNEL_ACTION: _personnel,
    EvidenceType.PHYSICAL_CHANGE: _physical,
}


def find_evidence(text: str, offset: int = 0) -> list[Evidence]:
    """All evidence in `text` (a measure), spans shifted by `offset` into the notice."""
    found: list[Evidence] = []
    taken: list[tuple[int, int]] = []
    for etype, finder in FINDERS.items():
        for start, end in finder(text):
            # money beats quantity on the same words; keep the first type that claims a span
            if any(s < end and start < e for s, e in taken):
                continue
            taken.append((start, end))
            found.append(
                Evidence(type=etype, text=text[start:end], span=Span(start=offset + start, end=offset + end))
            )
    found.sort(key=lambda e: e.span.start)
    return found
