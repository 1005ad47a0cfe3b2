"""How notices say where a rectification stands (DESIGN.md "Status rules", STRUCTURES.md §1 and §4).

One lexicon for every reader of status: a record's status line and text (extract), a status-group
heading, the summary totals (ingest) and a question's status filter (QA). `status_of_phrase` reads a
short status phrase ("已完成" "视同完成，持续整改" "正在整改"); the patterns below read running text.
"""

from __future__ import annotations

import re

from assistant.enums import Status
from assistant.lexicon.fast import lead

# --- short status phrases (status lines, bracket marks, group headings, totals clauses) -----------

# Partly done: 阶段性完成/基本完成/初步完成/部分完成, ongoing long-term items (持续整改, 长期坚持),
# and "视同完成" (treated as done while work continues).
PARTIAL_WORDS = (
    r"阶段性(?:完成|整改|成效|成果)?|阶段(?:整改)?完成|基本(?:完成|整改到位|到位|解决|整改)|初步(?:完成|整改|解决)|"
    r"部分(?:完成|整改|解决)|已部分完成|持续整改|长期(?:坚持|整改|推进)|视同完成|持续推进整改|需长期坚持|(?:已)?初步(?=[\u4e00-\u9fff])"
)
# Still being worked on or not done: 正在整改/推进中/未完成/尚未完成/整改中.
IN_PROGRESS_WORDS = r"正在(?:整改|推进|办理|实施|落实)|推进中|整改中|办理中|未完成|尚未(?:完成|整改|解决|到位)|未整改|未销号|未到位|待整改"
# Done: 完成/已完成/整改完成/完成整改/整改到位/已整改/已销号/已办结/已解决.
COMPLETED_WORDS = r"(?:已|均已|全部|已全部)?(?:完成|整改完成|完成整改|整改完毕|整改到位|到位|整改|销号|办结|解决|落实)(?:整改)?"

PARTIAL_RE = lead(re.compile(PARTIAL_WORDS))
_IN_PROGRESS = re.compile(IN_PROGRESS_WORDS)
_COMPLETED = re.compile(rf"^[“\"「]?\s*{COMPLETED_WORDS}|完成|到位|销号|办结|已整改|已解决")


def status_of_phrase(phrase: str) -> Status | None:
    """The status a short phrase names; partial and pending words win over the 完成 they contain."""
    if PARTIAL_RE.search(phrase):
        return Status.PARTIAL
    if _IN_PROGRESS.search(phrase):
        return Status.IN_PROGRESS
    if _COMPLETED.search(phrase):
        return Status.COMPLETED
    return None


# A bracket mark next to a problem line: 【已完成】（已完成整改）［阶段性完成］（整改中）.
BRACKET_STATUS = lead(
    re.compile(
        rf"[【\[［（(](?P<s>(?:{PARTIAL_WORDS}|{IN_PROGRESS_WORDS}|已完成(?:整改)?|已整改(?:完成|到位)?|整改完成|已销号|已办结))[】\]］）)]"
    )
)

# A heading that gives its items a status: "（一）已整改完成的问题" "二、正在推进整改的问题"
# "三、需长期坚持的问题" "（1）已完成整改5个，分别是：". `MIXED_GROUP` marks one that says it holds
# items of another status too ("已完成的整改事项（含阶段性完成事项）"): it gives no status.
STATUS_GROUP = re.compile(
    r"^(?:[（(]?[一二三四五六七八九十\d]+[）)、.．]?\s*)?"
    rf"(?P<s>(?:已经?|均已)?(?:整改)?(?:完成|到位)(?:整改)?|{PARTIAL_WORDS}|{IN_PROGRESS_WORDS}|正在(?:推进)?整改|立行立改)"
    r"(?:的|了)?(?:整改)?(?:问题|事项|任务|整改事项|整改任务|\d+个|[一二三四五六七八九十]+个)"
)
MIXED_GROUP = re.compile(r"[（(]\s*含[^）)]{0,12}[）)]|以及|和(?:阶段性|基本|正在)")

# --- running text -------------------------------------------------------------------------------

# Resolution verbs: the problem itself is rectified, closed or removed.
RESOLUTION_VERBS = (
    r"整改完成|完成整改|整改到位|整改完毕|整改|销号|办结|结案|解决|纠正|补齐|补办|拆除|清理(?:完毕|到位)|处置(?:完毕|到位)|"
    r"撤销|废止|关停|取缔"
)
# Money paid back: a resolution only where the clause is about money (人员"退回原单位" is a step).
RETURN_VERBS = r"追回|追缴(?:到位)?|收回|缴回|退回|退还|返还|清退|归还|上缴|补缴|补发|兑付|偿还|结清"
MONEY_WORDS = re.compile(r"\d\s*(?:万|亿|千)?元|款|费|金|资金|税|钱|账|卡|券|礼品|财物|物资")
_DONE_HEAD = (
    r"(?:已经?|均已|业已|现已|目前已|已全部|已全额|已如数)(?:全部|全额|如数|按要求|按规定|依规)?(?:被)?"
)
# "已/均已/全部 + resolution": 已完成整改、问题已解决、全部得到有效处理、均已完成、已整改到位。
DONE = lead(
    re.compile(
        rf"{_DONE_HEAD}(?:{RESOLUTION_VERBS})"
        r"|(?:均已|已全部|全部|均)(?:整改)?完成(?=[。；;，,！]|$|整改)|问题(?:已经?|均已)(?:得到)?(?:解决|整改|纠正)|(?:全部|均|已)得到(?:有效|妥善)?(?:整改|解决|处理|纠正)"
        r"|整改(?:到位|完毕)|已(?:整改)?销号|(?:整改|问题)(?:已|均已)(?:全部)?完成"
    )
)
DONE_RETURN = lead(re.compile(rf"{_DONE_HEAD}(?:{RETURN_VERBS})|(?:全部|全额|如数)(?:{RETURN_VERBS})"))
# Words before a resolution verb that make it a goal or a demand, not a report: 确保整改到位、督促退回。
NOT_DONE_CONTEXT = lead(
    re.compile(
        r"确保|力争|争取|推动|督促|要求|责令|限期|务必|将|拟|计划|以便|直至|直到|必须|尽快|未|尚未|没有|不能"
    )
)

# Items the unit raised itself (查摆问题12个…均已整改): their resolution is not this problem's.
SELF_RAISED = lead(
    re.compile(
        r"(?:查摆|自查|排查|梳理|查找|查出|发现|收集|征集)(?:出|到)?[^，。；]{0,12}?(?:问题|隐患|事项)\s*[\d一二三四五六七八九十百]+\s*[个条项处件]"
    )
)

# Specific work still to be done inside a claim: a dated promise, a wait, a not-yet, a decision not
# yet carried out ("决定将…返还").
PENDING = lead(
    re.compile(
        r"(?:(?<![已并])将(?:于|在|到)|拟|计划|预计|力争|争取)(?:于|在|到)?\s*(?:\d{4}\s*年|今年|明年|年内|年底|年前|月底|\d{1,2}\s*月|近期|下半年|上半年|[一二三四]季度|本季度|\d+\s*个?(?:工作日|日|天|月)内)"
        r"|(?<![已并])将(?:\d{4}\s*年)?(?:年底|月底|年内|\d{1,2}\s*月底?)前|\d{4}\s*年(?:计划|拟|将)"
        r"|待[^，。；]{1,30}?(?:后|之后|再)|等[^，。；]{1,20}?(?:后|下来)|尚未|仍未|暂未|还未|未能完成|决定(?:将|对|由)|"
        r"已启动[^。；]{0,30}?尚未|计划于|拟于|拟在|拟将|计划(?:年内|近期)|正在(?:走|履行)[^，。；]{0,6}程序|"
        # 将 + verb is a promise; 将 + "…的…" is the disposal construction ("将组织生活会的资料完善归档")
        r"(?<![已并])将(?:对|作出|出具|完成|开展|组织|进行|实施|启动|建成|制定|修订|印发|召开|退还|返还|追回|收回|上交|拨付|办理|按|尽快)(?![^，。；]*的)"
    )
)
# Work under way and not reported finished: 正在招标、推进中、持续推进、开始建设。
ONGOING = lead(
    re.compile(
        r"正在(?=[\u4e00-\u9fff“])|"
        r"(?:推进|进行|实施|办理|建设|施工|整改|招标|审批|审核)中|(?<=[\u4e00-\u9fff])(?:正在|正|在)?(?:持续|有序|稳步|逐步)推进(?=[中。；，,]|$)|开始(?:建设|实施|施工|启动|推进)|"
        r"(?:已|现已)(?:启动|开工)|启动了|着手|筹备"
    )
)
# Words that make what follows a goal, not a report of work under way ("确保整改工作有序推进").
GOAL = lead(re.compile(r"确保|保证|力争|推动|促进|以便|为了|助力"))
# A decision taken and still to be carried out: pending, and a step already taken.
DECISION = lead(re.compile(r"决定(?:将|对|由)"))
# Steps that prepare work rather than do it (委托设计、对接洽谈、申报立项): beside ongoing work they
# are not "work done", so the record is still 推进中.
PREPARATORY = lead(
    re.compile(
        r"委托|启动|申报|申请|对接|协调|洽谈|沟通|汇报|联系|谋划|论证|调研|摸排|摸底|筹备|筹划|报送|上报|请示|争取|征求"
    )
)
# A general pledge about the future (今后将进一步…、后续将加大…): no pending task, no status.
PLEDGE = lead(
    re.compile(
        r"(?:今后|以后|下一步|后续|下步|未来|长期|常态化)[^。；]{0,6}?(?:将|要|会|继续|持续|进一步|不断)"
        r"|将(?:进一步|继续|持续|不断|始终|长期|坚持|切实|全面|严格|认真|加大|加强|强化|深化|巩固|提高|提升|完善|健全|落实|推动|抓好|做好|把|以)"
    )
)
# A promise of any kind (将/计划/拟…), for telling a reported step from an announced one.
FUTURE = re.compile(r"将|拟|计划|预计|力争|争取|准备|打算|待")
# Reported, finished work: a perfective marker in a clause that is not negated.
PERFECTIVE = re.compile(r"已|了(?![解])|完成|均已|业已|现已")
NEGATION = re.compile(r"未|尚未|没有|不|无")

# A status phrase right after a rectification label: "整改情况：已完成。……" "整改进展：已全部完成，……".
LEADING_STATUS = re.compile(
    rf"[ \t]*(?P<s>(?:目前|现|现已|该问题)?(?:{PARTIAL_WORDS}|{IN_PROGRESS_WORDS}|(?:已经?|均已|已全部|全部)(?:整改)?(?:完成|到位|销号|办结)(?:整改)?|(?:整改)?完成(?:整改)?|整改到位)中?)[。，,；;！\n]"
)
