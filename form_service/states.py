"""Application states as people and staff read them, and what each means for the applicant."""

from __future__ import annotations

SUBMITTED = "已提交"
WAITLISTED = "候补"
# States that give a seat back to the course; the staff console sets them.
RELEASED = ("已撤回", "已取消", "未录取")

FLOW_TITLES = {
    "training": "技能培训报名",
    "entrepreneurship": "创业扶持申请",
    "housekeeping": "家政培训/上岗登记",
    "jobseeker": "求职登记",
}

NEXT_STEPS = {
    SUBMITTED: "我们已收到您的申请。负责的工会将在 5 个工作日内打电话与您核实信息,请保持手机畅通。",
    WAITLISTED: (
        "本期名额已满或报名已截止,您已登记候补。有空余名额或开设下一期时,工作人员会打电话通知您。"
    ),
}
DEFAULT_NEXT_STEP = "如有疑问,请拨打下面的电话咨询负责的工会。"


def next_step(state: str) -> str:
    """Return what happens next for an application in `state`."""
    return NEXT_STEPS.get(state, DEFAULT_NEXT_STEP)
