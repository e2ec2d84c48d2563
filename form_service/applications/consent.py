"""The consent texts shown beside the checkboxes, and their version stored with each application.

Change CONSENT_VERSION whenever the wording changes: stored applications keep the version their
applicant agreed to (PIPL art. 14 asks for fresh consent when purposes change).
"""

from __future__ import annotations

from site_builder.catalog.vocabulary import RETENTION_YEARS

CONSENT_VERSION = "2011-06-16.2"  # .2: the retention period follows RETENTION_YEARS
CONTROLLER = "上海市总工会(市总工会培训中心,杨浦区吉林路2号,电话 65124362)"
PRIVACY_PAGE = "/privacy/"

PRIVACY_SUMMARY = (
    f"您填写的信息由{CONTROLLER}及负责的区县、产业工会处理,只用于审核报名资格、安排培训和就业服务、"
    "申领培训补贴,并按要求实名录入全国总工会帮扶工作系统。"
    f"信息保存到本年度行动结束后 {RETENTION_YEARS} 年,"
    "之后删除或匿名化。您可以随时致电查询、更正或要求删除您的信息。"
)
PRIVACY_LABEL = "我已阅读并同意《个人信息处理规则》"

ID_NUMBER_SUMMARY = (
    "身份证号码属于敏感个人信息。我们需要它来核实您的身份和报名资格、办理培训补贴、"
    "录入全总帮扶系统;没有它无法受理申请。号码加密保存,工作人员列表中只显示前 3 位和后 4 位,"
    "一旦泄露可能被冒用,因此我们不会把它用于其他目的,也不会提供给其他单位。"
)
ID_NUMBER_LABEL = "我单独同意处理我的身份证号码"
