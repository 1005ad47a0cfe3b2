"""What makes a measure checkable (DESIGN.md "Concrete or vague", STRUCTURES.md §4).

Open categories, not the samples' nouns: a number with any classifier (Arabic or Chinese numerals),
money, a date tied to an action or a fixed date the unit set, a document the unit made (《title》,
文号 or date), a named disciplinary or personnel step, a physical or organisational change to
anything that is not an abstraction. And what looks checkable but is not: frequency promises,
requirements quoted from the basis document, vague quantities.
"""

from __future__ import annotations

import re

from assistant.lexicon.fast import lead

# A number's digits are never given back (atomic after the first, so the engine can still skip to it):
# nothing that follows a number in these patterns begins with a digit or a point.
NUM = r"\d(?>\d*(?:\.\d+)?)"
CN_DIGIT = r"[一二两三四五六七八九十百千万]"
CN_NUMERAL = rf"{CN_DIGIT}+"
APPROX = r"(?:余|多|左右)?"

# Classifiers (量词) and units: people, things, events, documents, places, money, area, length,
# weight, time spans, rates. A general list of the language, longest first where they overlap.
CLASSIFIERS = (
    "人次|万人次|场次|车次|架次|班次|批次|户次|件次|轮次|课时|学时|个工作日|个百分点|个月|平方米|平方公里|立方米|公里|千米|延米|"
    "千克|公斤|公顷|小时|分钟|万元|亿元|千元|余人|余名|余家|余件|余次|余场|余个|"
    "个|名|人|位|台|辆|部|架|艘|次|场|户|家|所|座|栋|幢|间|套|处|条|件|份|张|本|册|篇|页|块|面|幅|根|支|盏|把|只|头|棵|株|亩|"
    "米|吨|斤|升|项|批|期|轮|组|队|起|宗|笔|例|卷|盒|箱|袋|桶|瓶|台套|道|所|区|村|镇|网点|点位|个点|站|段|颗|枚|双|副|对|天|日|周|年度"
)
# Chinese-numeral counts need a classifier that cannot be part of a word: 三位同志、两名责任人、五处。
CN_CLASSIFIERS = (
    "名|位|人|个|台|辆|处|家|户|次|场|起|件|份|条|批|项|轮|组|块|套|所|座|间|笔|宗|张|本|篇|天|周|个月|小时"
)
# Words where a numeral is not a count: ordinals, idioms, 一是/二是, "一把手"…
CN_NOT_COUNT = re.compile(
    r"(?:一(?:次(?:性)?|场|轮|是|些|批|系列|律|并|起|道|线|体|把手|岗双责|票否决|案双查|次性|事一议|站式|张网|盘棋|竿子|揽子|手抓|以贯之|如既往|切|定|样|般|致|直|再|经|旦|方面|个(?:别|阶段|时期))|两(?:个责任|个维护|个确立|学一做|委|级|手)|三(?:重一大|会一课|个以案|级|方)|四(?:个意识|个自信|风|议两公开|下基层)|八项(?:规定)?|五(?:级|位一体)|十(?:分|足))"
)
# Quantities that name no number: 若干/部分/多名/一批/一系列.
VAGUE_QUANTITY = lead(
    re.compile(r"若干|部分|多名|多人|多次|多家|一批|一系列|大量|少数|个别|相关|有关|各类|多项|一些")
)

# Frequency and requirement wording: "每季度开展1次" "每年不少于2次" "按要求每年开展2次以上" are
# promises or rules, not reports of what was done.
FREQUENCY = lead(
    re.compile(
        r"每(?:天|日|周|星期|旬|月|季度|季|半年|年|学期|批|次)[^，。；]{0,12}?(?:\d+|[一二两三四五六七八九十]+)\s*(?:次|回|轮|场|期)|(?:不少于|至少|不低于|不超过|以上|以内|以下)"
    )
)
REQUIREMENT = lead(
    re.compile(
        r"(?:按|按照|根据|依照|依据)(?:[^，。；]{0,10})?(?:要求|规定|标准)|要求[^，。；]{0,10}(?:每|不少于|至少)"
    )
)
# A fixed date the unit set: "每月25日为党费收缴日" "将每周五定为学习日".
FIXED_DATE = lead(
    re.compile(
        r"(?:每(?:月|年|季度|周|星期)(?:的)?(?:\d{1,2}\s*日|[一二三四五六七八九十]{1,3}日|[一二三四五六日天末]|第[一二三四\d]+(?:周|个工作日)|最后一[天周])|每周[一二三四五六日天])"
        r"\s*(?:为|定为|确定为|作为|设为|固定为|是)"
    )
)
# A calendar date or month.
DATE = lead(
    re.compile(
        r"(?=\d)(?:\d{4}\s*年\s*)?\d{1,2}\s*月(?:\s*\d{1,2}\s*日|底|初|末|中旬|上旬|下旬)(?:前)?|\d{4}\s*年\s*\d{1,2}\s*月(?:份)?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2}"
    )
)
# Money: an amount in 元 (with 万/亿/千), or a number after a money noun.
MONEY = lead(
    re.compile(
        rf"(?=[\d一二两三四五六七八九十百千万])(?:{NUM}\s*{APPROX}\s*(?:万|亿|千)?\s*元|(?<=罚款|资金|投入|投资|收入|贷款|筹集|金额|款项|经费|补助|补贴){NUM}\s*{APPROX}\s*(?:万|亿)(?!元)"
        rf"|{CN_NUMERAL}\s*{APPROX}\s*(?:万|亿|千)?\s*元(?!素|旦|宵|老|首|帅|气))"
    )
)
PERCENT = lead(re.compile(rf"(?=[\d百])(?:{NUM}\s*[%％‰]|百分之[一二三四五六七八九十点\d]+)"))

# Documents the unit made: created, revised, issued, signed.
DOC_VERBS = r"制定|制订|修订|修改|出台|印发|下发|发布|编制|编印|起草|重新制定|建立|完善|健全|形成|签订|签署|汇编|编写|更新|出具|报送"
# 《title》, a 文号 (〔2024〕18号, [2024]18号) or a quoted name ending in a document noun.
DOC_TITLE = (
    r"《[^》]{2,60}》|[〔\[［【(（]\s*\d{4}\s*[〕\]］】)）]\s*\d+\s*号"
    r"|“[^”]{2,30}(?:清单|制度|方案|办法|规定|细则|计划|机制|手册|标准|指引|规范|规程|流程图)”"
)
# Cues that a document is cited as the basis, not made: 根据/按照/依照《…》.
DOC_BASIS = re.compile(
    r"根据|按照|依照|依据|遵照|参照|对照|结合|学习|贯彻|执行|严格执行|认真执行|落实|对标|围绕|通过|组织|深入|传达|研读"
)

# Personnel and disciplinary steps on identified people or posts. Bare "追责处理", "严肃处理",
# "问责" name no step and are not here.
PERSONNEL = lead(
    re.compile(
        r"诫勉(?:谈话)?|提醒谈话|谈话提醒|警示谈话|批评教育|通报批评|责令[^，。；]{0,10}?检查|(?:作出|作)(?:深刻|书面)检查|书面检查|约谈[^，。；]{0,16}|"
        r"函询|党内(?:严重)?警告|(?:严重)?警告处分|记(?:大)?过(?:处分)?|降级|撤职|开除(?:党籍|公职)?|留党察看|免职|免去[^，。；]{0,20}?职务|"
        r"撤销[^，。；]{0,10}?职务|调离[^，。；]{0,12}|调整[^，。；]{0,8}?岗位|停职|停止执行职务|组织调整|立案(?:调查|审查)?|"
        r"移送(?:司法机关|公安机关|纪委|监委|纪检监察|检察)[^，。；]{0,6}|扣缴[^，。；]{0,20}|扣发[^，。；]{0,20}|扣减[^，。；]{0,20}|(?:党纪|政务|行政)处分|"
        r"退回[^，。；]{0,6}(?:原单位|大队|中队|基层)|下沉到[^，。；]{0,8}|辞退|解聘|清退[^，。；]{0,6}(?:人员|临时工)"
    )
)
PERSONNEL_NOT = re.compile(r"机制|制度|办法|规定|工作$")

# Physical and organisational changes (设立、加装、拆除、取消、组建…), verb before or after its object.
CHANGE_VERBS = (
    r"设立|设置|增设|新设|新建|建成|组建|成立|挂牌|配备|配齐|增配|加装|安装|更换|更新了|拆除|取消|撤销|撤并|合并|划转|腾退|腾出|"
    r"搬迁|迁至|移至|搬至|搬移至|改造|修缮|维修|铺设|施划|粘贴|张贴|悬挂|购置|采购|招录|招聘|引进|调配|开通|上线|投入使用|"
    r"封存|收回|清退|拍卖|处置|核销|补记|登记入账|入账|上交|上缴|退回|追回|追缴|收缴|开具|签订|确定|指定"
)
# Objects that are abstractions: changing them is not checkable (完善机制、调整思路、加强管理).
ABSTRACT_OBJECT = re.compile(
    r"机制|体制|制度|体系|意识|观念|理念|力度|水平|能力|作风|责任|氛围|质量|效率|效能|成效|管理|工作|要求|措施|规定|标准|流程|程序|"
    r"秩序|环境|格局|导向|思想|认识|短板|漏洞|问题|方案|计划|规划|长效|常态|合力|联动|协作|沟通|协调|衔接|监督|监管|考核|督导|"
    r"宣传|教育|培训|学习|思路|方式|方法|模式|举措|重点|方向|目标|任务|职责|分工|作用|关系|意见|建议|政策|经验|做法|底线|红线|"
    r"纪律|规矩|风气|形象|服务|保障|支持|指导|研究|部署|安排|落实|推进|整改|进度|步伐|节奏|局面|"
    # papers named only by their subject (a ledger, a list, records): not a document by the rubric
    r"台账|记录|名单|报表|材料|资料|档案"
)

# Reassigning a task to a named body or post ("明确政工股负责统战工作", "调整整改领导小组", "确定专人负责"):
# an organisational change a reviewer can check.
REASSIGN = lead(
    re.compile(
        r"(?:调整|明确|确定|指定|落实)(?:了|由)?(?P<obj>[^，,。；;：:]{0,16}?(?:股|科|处|室|办|中心|所|站|队|组|班子|专班|专人|专岗|委员会|支部|小组))"
        r"(?:负责|牵头|专职|成员|分工)?(?=[，,。；;、为的]|负责|牵头|$)"
    )
)
