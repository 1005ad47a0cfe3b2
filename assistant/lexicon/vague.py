"""How vague measures read (DESIGN.md "Concrete or vague", flags `study_only` and `generic_only`)."""

from __future__ import annotations

import re

# Study, training and meetings: the measures of a study-only rectification.
STUDY = re.compile(r"学习|培训|会议|召开|座谈|讲座|党课|观看|宣讲|研讨|教育|传达|动员|部署会|专题会|警示")
# Outcomes beyond study: something made, changed, returned or resolved.
OUTCOME = re.compile(r"制定|修订|出台|印发|建立|设立|免去|调离|退回|上交|追缴|整改到位|已完成|完成了")
# The words generic measures are made of, quoted back to the reader as the decisive words.
GENERIC = re.compile(r"加强|强化|提高|进一步|落实|完善|严格|提升|规范|深化|推动|持续")
