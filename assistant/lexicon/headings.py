"""What a numbered heading is: a problem, an area, an action, a wrapper, a closing section.

Record detection goes by structure (STRUCTURES.md §1): a problem heading with rectification text
under it is a record, an action heading ("加强组织领导", "（一）开展作风专项整顿") is an organisational
item or a measure, whatever words surround it. These lists say how a heading reads as one or the other.
"""

from __future__ import annotations

import re

from assistant.lexicon.fast import lead

# Deficiency cues: a heading that names a shortfall is a problem (or an area of problems).
# Negated qualities (不到位/不严/不够…), absence (未…/缺…/无…), gaps and weaknesses, misconduct, and
# the nouns notices put after them (问题/现象/差距/短板).
DEFICIENCY = lead(
    re.compile(
        r"不(?:到位|够|足|严|力|实|细|深|强|高|全|准|当|清|明|畅|精|优|佳|紧|硬|快|规范|及时|健全|完善|彻底|扎实|深入|明显|精准|落实|严格|严肃|主动|积极|坚决|得力|充分|一致|合规|合理|到|齐|好|善|熟|平衡|匹配|适应|对称)"
        r"|未(?:能|按|及时|严格|建立|落实|开展|执行|履行|形成|达到|有效|认真|全面|完全|经|设立|设置|配备|制定|公开|规范|如实|足额|按时|按期|按照|纳入|明确|整改|报|审|批|签|归|入|录|登|收|缴|建|立|实|到|发挥|聚焦)"
        r"|缺(?:失|乏|少|位|项|口|漏|陷)|欠(?:缺|账|规范|到位)|差距|薄弱|滞后|弱化|淡化|虚化|泛化|边缘化|偏差|偏软|偏弱|偏松|偏低|偏高|"
        r"漏洞|短板|隐患|风险|现象|乱象|违规|违纪|违法|违反|违背|超标准|超范围|超标|超期|超预算|随意|形式主义|官僚主义|享乐主义|奢靡|"
        r"走过场|流于形式|有待|亟待|亟需|仍需|较多|较大|较差|较弱|较低|频发|屡禁不止|屡查屡犯|混乱|松散|宽松|松懈|松弛|失职|失责|失察|"
        r"失管|失控|过多|过高|过大|过低|过宽|低下|低效|模糊|雷同|遗漏|拖延|拖欠|截留|挪用|套取|侵占|虚报|虚列|多报|多付|多发|多计|少缴|"
        r"少计|漏缴|漏报|不作为|慢作为|乱作为|打折扣|搞变通|一刀切|以[^，。；]{1,4}代[^，。；]{1,4}|空转|重形式|轻实效|重业务|轻党建|"
        r"(?:较为|比较)?普遍|腐败|不正之风|(?:依然|仍然|仍)存在|问题(?!导向|清单|台账|整改|销号|线索|为导向)"
    )
)
# The shortfalls a *clause* of running text describes (a narrower set: the nouns 问题/风险/现象 are
# also named by the measures that fix them).
SHORTFALL = lead(
    re.compile(
        r"不(?:到位|够|足|严|力|实|规范|及时|健全|完善|彻底|扎实|深入|落实|严格|主动|合规|一致)|未(?!来)|没有|缺(?:失|乏|少|位)|欠缺|"
        r"差距|薄弱|滞后|弱化|淡化|偏差|漏洞|短板|违规|违纪|违反|超标准|超范围|随意|形式主义|走过场|流于形式|有待|较多|混乱|"
        r"松散|拖延|截留|挪用|套取|虚报|多报|多付|多发|少缴|存在"
    )
)
# Action verbs a heading starts with when it names what the unit did or will do (an organisational
# item, a measure, a closing intention), not a problem it was told about.
ACTION_START = re.compile(
    r"^(?:[一二三四五六七八九十]是)?(?:加强|强化|压实|压紧|压牢|提高|提升|统一|健全|建立|完善|开展|落实|坚持|深化|推动|推进|严格|规范|狠抓|"
    r"聚焦|突出|注重|抓实|抓好|抓牢|做实|做好|做细|筑牢|夯实|扛牢|扛起|把牢|树牢|紧盯|坚决|全面|持续|从严|高位|高标准|精心|周密|迅速|"
    r"立即|认真|切实|细化|明确|成立|召开|制定|制订|修订|组织|实行|实施|建强|配强|选优|着力|聚力|立足|围绕|构建|优化|创新|整合|补齐|"
    r"补强|织密|守牢|抓紧|靠实|层层|逐项|对标|对照|举一反三|标本兼治|建章立制|通过|采取|实现|确保|巩固|扩大|深入|"
    r"广泛|扎实|主动|积极|及时|强力|大力|合力|同步|集中|专项|重点|系统|常态|长效|清理|整治|排查|核查|督促|督查|约谈|追缴|退回|设立|"
    r"增设|新建|开通|上线|引进|招录|配备|完成|形成|编制|印发|出台|下发)"
)
# A heading that is an area (a group of problems), not a problem: "（一）关于“党的建设”方面",
# "反馈问题：…", "贯彻落实…方面存在的问题".
AREA = re.compile(
    r"方面(?:的|存在的|存在)?(?:问题|不足)?[”\"」]?$|^关于[“\"「]?[^”\"」]{1,40}[”\"」]?方面|^(?:反馈问题|问题类别|问题领域)[:：]"
)
# Headings that wrap all the records without naming an area: "二、整改进展情况" "具体问题整改情况".
RECORDS_WRAPPER = re.compile(
    r"^(?:巡[察视])?(?:反馈)?(?:意见|问题)?(?:的)?(?:具体)?(?:问题)?整改(?:进展|落实|完成|工作)?(?:情况|进展)$|^(?:具体|主要)?问题(?:的)?整改(?:落实)?情况$|^整改(?:落实)?(?:事项|清单)$"
)
# The heading-is-the-problem layout: "一、关于“服务意识淡薄”问题的整改情况" — its numbered
# sub-items are the measures.
PROBLEM_HEADING = re.compile(
    r"^(?:关于|针对)?[“\"「『]?(?P<p>.+?)[”\"」』]?(?:的)?(?:问题)?(?:的)?(?:整改|落实)(?:落实|推进)?(?:情况|进展|进展情况|成效)$"
)
# Sections that close a notice: next steps, long-term mechanisms, plans.
CLOSING = lead(
    re.compile(
        r"下一步|下步|今后(?:工作|打算)?|长效(?:机制)?|工作打算|工作计划|工作安排|巩固(?:整改)?成果|持续深化|深化(?:后续)?整改|后续(?:工作|打算|整改)|"
        r"常态长效|持续用力|久久为功"
    )
)
# Sections about how rectification was organised: never records, whatever they mention.
ORGANISATIONAL = lead(
    re.compile(
        r"组织(?:整改|领导|保障)|领导小组|高度重视|统一思想|提高认识|思想认识|政治站位|压实(?:整改)?责任|整改(?:工作)?(?:部署|开展情况|总体情况|工作情况|责任)|"
        r"主要做法|工作开展情况|总体情况|基本情况|整改工作$|责任落实|整改方案|建章立制|以上率下|抓实整改|全力推进整改|推进整改落实"
    )
)
# Contact details and the invitation to supervise that end the content.
CONTACT = re.compile(
    r"^(?:欢迎.{0,30}(?:监督|反映|批评)|(?:联系|举报|监督)(?:电话|方式|邮箱|地址)\s*[:：]|(?:电子)?邮箱\s*[:：]|邮政编码\s*[:：])"
)
