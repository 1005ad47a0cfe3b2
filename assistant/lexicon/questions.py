"""How reviewers ask about sets of records, and the actions those questions are about.

Two kinds of lists live here. Question frames (what a question asks for: a list, a count, a sum,
units, a comparison) are read only from questions. Action categories (money recovered, returned or
fined; talks, dismissals, sanctions on people) are read from questions *and* from the measures
with the same pattern, so "诫勉谈话" asked means "诫勉谈话" found. Status, flag and evidence
words come from `status.py`, `evidence.py` and `vague.py`; this module only adds what a question
needs on top of them.
"""

from __future__ import annotations

import re

from assistant.lexicon.evidence import DOC_VERBS
from assistant.lexicon.status import RETURN_VERBS

# --- question frames --------------------------------------------------------------------------

# Asking for a list of items: 哪些/哪几/列出/有什么问题.
ASKS_LIST = re.compile(r"哪些|哪几|列出|列举|罗列|有什么问题|是什么问题|有哪|都有什么|有谁|谁被")
# Asking whether any exist (the answer is a list, possibly empty): 有没有/有无/是否有/…吗.
ASKS_EXISTS = re.compile(r"有没有|有无|是否有|是否存在|有[^，。？?]{0,16}吗")
# Asking for a number of items.
ASKS_COUNT = re.compile(r"多少|几个|几条|几项|几件|数量|有几|总数|共有|一共|总共|共计")
# Asking for a money total: 合计/一共多少元/总额/加起来.
ASKS_SUM = re.compile(
    r"合计|总额|总计|累计|加起来|一共[^，。？?]{0,6}(?:多少|几)|总共[^，。？?]{0,6}(?:多少|几)|共[^，。？?]{0,2}多少(?:元|钱|万)"
)
# Asking for the number of the notice's problems overall ("一共列了多少个具体问题").
ASKS_TOTAL = re.compile(r"(?:列|有|反馈|包含|涉及|指出)了?(?:多少|几)个?(?:具体)?(?:问题|记录|整改事项)")
# Asking which units (issuing organisations): 哪些单位、哪几个局、哪个支队.
ASKS_UNITS = re.compile(
    r"(?:哪些|哪几个?|哪个|哪一个?)(?:单位|部门|通报|(?:[\u4e00-\u9fff]{0,4}?(?:局|支队|大队|党组|党委)))"
)
# Asking for a figure per unit, or for the unit with most/least: 各单位、分别、各有、最多。
ASKS_COMPARE = re.compile(
    r"各单位|各个单位|各有|各自|分别|每个单位|每家|对比|比较|最多|最少|谁多|哪个单位[^，。？?]{0,12}(?:多|少)"
)
# The question is about rectification records (not about bridges or vehicles counted in them).
ABOUT_RECORDS = re.compile(r"问题|记录|事项|整改|条目|措施|哪些事|几件事|什么事")
# A year that names the notices ("2024年的通报"), as against a date inside the measures.
YEAR = re.compile(r"(?<!\d)(?P<y>(?:19|20)\d{2})\s*年(?!\s*\d{1,2}\s*月)")
# A month or a day inside the measures ("2024年11月", "2022年3月23日").
MONTH_DAY = re.compile(r"(?P<y>(?:19|20)\d{2})\s*年\s*(?P<m>\d{1,2})\s*月(?:\s*(?P<d>\d{1,2})\s*日)?")
# A round of inspection named in the preamble: 第八轮巡察, 第3轮.
ROUND = re.compile(r"第\s*(?P<n>[一二三四五六七八九十\d]+)\s*轮")

# --- statuses asked for beyond `status_of_phrase` ----------------------------------------------

# Records whose status the notice leaves open.
ASKS_UNSTATED = re.compile(r"未说明|没有说明|未写明状态|未标明|没写状态|状态不明")
# Not finished: partly done or still under way ("还没整改完", "尚未完成", "仍在整改").
ASKS_NOT_DONE = re.compile(
    r"(?:没有?|未|尚未|还没有?)[^，。？?]{0,4}?(?:完成|整改完|办完|做完|改完|到位|办结)|仍在整改"
)
# "在整改中"/"哪些整改中…" names where something happened, not the status 整改中 ("正在整改中的问题").
IN_RECTIFICATION = re.compile(r"(?<!正在)(?<!仍在)(?<!还在)整改中(?!的)")
# "声称完成但…空泛": the completion claim the vague flag is about, not a status filter of its own.
CLAIMED_DONE = re.compile(r"声称|号称|称已|说是|自称|宣称|表示已")

# --- flags asked for ---------------------------------------------------------------------------

# Vague completion: the claim 完成 rests on no checkable specific.
ASKS_VAGUE = re.compile(
    r"空泛|空洞|空话|套话|不具体|不够具体|缺少具体|缺乏具体|没有具体|笼统|含糊|虚化|泛泛而谈|走形式"
)
# Measures only study or meetings.
ASKS_STUDY_ONLY = re.compile(r"(?:只|仅|光)[^，。？]{0,4}学习|以学代改|只开会")
# Completion claimed with promises.
ASKS_FUTURE = re.compile(r"只是?承诺|只有计划|只是计划|将来时")
# Any flag: records marked doubtful, to check or follow up.
ASKS_FLAGGED = re.compile(
    r"存疑|被?标记|可疑|疑点|(?:需要?|要|得|应|待)[^，。？?]{0,5}?(?:核查|核实|跟进|督办)|有问题的记录|督办"
)

# --- documents ---------------------------------------------------------------------------------

# A document the unit made: asked as "制定/修订/完善/出台/印发…的制度/文件/规定".
DOCUMENT_NOUNS = re.compile(r"制度|文件|规定|办法|方案|规范|细则|清单|通知|手册|规则|机制文件")
DOCUMENT_MAKING = re.compile(rf"{DOC_VERBS}|出了|改了|新规定|新文件|立了")

# --- money actions (questions and measures alike) ----------------------------------------------

# Money recovered from those who had it: 追缴、追回、收回、清缴.
RECOVERED = re.compile(r"追缴|追回|收回|缴回|清缴|(?<!党费)(?<!会费)收缴(?!日)")
# Money returned or handed over: 退回、退还、返还、清退、上交/上缴/上解（国库、财政）.
RETURNED = re.compile(r"退回|退还|返还|清退|归还|上交|上缴|上解|退赔")
# Money taken as a penalty.
FINED = re.compile(r"罚款|罚没|处罚金")
# Collections that are routine, never a recovery of misused money (dues).
ROUTINE_FEES = re.compile(r"党费|会费|团费")
# Money nouns a clause must hold for its verb to be about money ("5名同志退回大队" is not).
MONEY_NOUNS = re.compile(r"\d\s*(?:万|亿|千)?元|款|费|金|资金|税|钱|收入|补助|补贴|奖金|津贴|国库|财政")
# Every money verb, for "has this question anything to do with money returned".
MONEY_VERBS = re.compile(rf"{RETURN_VERBS}|{RECOVERED.pattern}|{RETURNED.pattern}|{FINED.pattern}")
# Money in a question when no verb is named: "涉及资金", "多少钱".
MONEY_QUESTION = re.compile(r"资金|款项|钱|金额|元")

# --- personnel actions (questions and measures alike) ------------------------------------------

ADMONITION = re.compile(r"诫勉")
REMINDER = re.compile(r"提醒谈话|谈话提醒|警示谈话")
INTERVIEW = re.compile(r"约谈")
# ("批评与自我批评" is a meeting practice, not a step taken on someone.)
CRITICISM = re.compile(
    r"通报批评|批评教育|提出了?批评|书面检查|作出?(?:深刻)?检查|写出?(?:深刻)?检讨|责令[^，。；]{0,10}?(?:检查|检讨)"
)
DISMISSAL = re.compile(r"免职|免去[^，。；]{0,20}?职务|撤职|撤销[^，。；]{0,10}?职务|停职|辞退|解聘")
TRANSFER = re.compile(r"调离|调整[^，。；]{0,8}?岗位|调岗")
SANCTION = re.compile(
    r"处分|党内(?:严重)?警告|记(?:大)?过|降级|开除|留党察看|立案(?:调查|审查)|处理决定|第一种形态|组织处理"
)
PAY_DEDUCTION = re.compile(r"扣缴[^，。；]{0,20}?(?:津贴|工资|奖金|绩效)|扣发|扣减|扣罚")
# "谈话" asked without naming which kind: every talk.
ASKS_TALK = re.compile(r"谈话")
# People handled without naming the step: "对责任人作出了处理", "人员处理", "追责".
ASKS_ANY_PERSONNEL = re.compile(
    r"(?:责任人|负责人|人员|干部|民警|同志|谁)[^，。？?]{0,8}(?:处理|追责|问责|处分)|追责|人事处理|人员处理|组织处理|受到处理|被处理"
)
# The people an action falls on must be the unit's own: not enterprises, owners or drivers it regulates.
OUTSIDE_PARTIES = re.compile(r"企业|公司|车主|司机|驾驶人|骑手|商户|经营者")
# Sanctions announced as a warning case ("通报了…8名同志的处理决定"): education, not a step taken.
WARNING_CASE = re.compile(r"通报[^，,。；]{0,30}?(?:处理决定|处分)|反面典型|剖析")
# A unit itself being sanctioned ("哪个单位被省纪委通报批评"): not a question about its measures.
PERSON_WORDS = re.compile(r"人|谁|干部|民警|同志|党员|职工|辅警|领导")
