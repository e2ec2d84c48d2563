"""The lifecycle of an application on each track: states, the steps staff may take, outcomes.

A *track* is what the application is for: a skills, housekeeping or entrepreneurship course
(the course's kind, or the flow when no course was chosen) or a job search (求职登记).

Staff move an application forward one step at a time. Some steps are plain (录取, 在训 with its
date, 结业 with its date); the others are reached by recording an outcome (a certificate leads
to 已鉴定, a job to 已就业 or 推荐上岗, a registered business to 开业, jobs created to
带动就业). Outcomes can be recorded later too (a certificate often arrives after the job), in
which case the state stays where it is and the history notes the record.
"""

from __future__ import annotations

from site_builder.catalog import Catalogue

SUBMITTED = "已提交"
WAITLISTED = "候补"

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


ADMITTED = "已录取"
REJECTED = "未录取"
CANCELLED = "已取消"
WITHDRAWN = "已撤回"
IN_TRAINING = "在训"
DROPPED = "中途退出"
COMPLETED = "结业"
CERTIFIED = "已鉴定"
EMPLOYED = "已就业"
PLACED = "推荐上岗"
VISITED = "已回访"
STARTED = "开业"
JOBS_CREATED = "带动就业"
REFERRED = "已推荐"
NOT_PLACED = "未成功就业"
# States that give a seat back to the course; the staff console sets them.
RELEASED = (WITHDRAWN, CANCELLED, REJECTED)

TRACKS = {
    "skills": "技能培训",
    "housekeeping": "家政培训",
    "entrepreneurship": "创业培训",
    "jobseeker": "求职登记",
}
TRACK_OF_FLOW = {
    "training": "skills",
    "housekeeping": "housekeeping",
    "entrepreneurship": "entrepreneurship",
    "jobseeker": "jobseeker",
}

# Outcome kinds and their Chinese names; `enrolment` and `completion` are the dates of 在训/结业.
OUTCOME_KINDS = {
    "enrolment": "入学(在训)",
    "completion": "结业",
    "certificate": "职业资格证书",
    "employment": "就业",
    "business": "创业(办照开业)",
    "jobs": "带动就业",
    "realname": "录入全总帮扶系统",
}
# Outcomes staff record with the outcome form, by track.
RECORDABLE = {
    "skills": ("certificate", "employment"),
    "housekeeping": ("certificate", "employment"),
    "entrepreneurship": ("business", "jobs", "employment"),
    "jobseeker": ("employment",),
}
# A plain step that carries a date records it as this outcome.
DATED_STEPS = {IN_TRAINING: "enrolment", COMPLETED: "completion"}

_INTAKE: dict[str, tuple[str, ...]] = {
    SUBMITTED: (ADMITTED, WAITLISTED, REJECTED, CANCELLED),
    WAITLISTED: (ADMITTED, REJECTED, CANCELLED),
    ADMITTED: (IN_TRAINING, CANCELLED),
    IN_TRAINING: (COMPLETED, DROPPED),
}
STEPS: dict[str, dict[str, tuple[str, ...]]] = {
    "skills": _INTAKE | {COMPLETED: (CERTIFIED, EMPLOYED), CERTIFIED: (EMPLOYED,)},
    "housekeeping": _INTAKE
    | {
        COMPLETED: (CERTIFIED, PLACED),
        CERTIFIED: (PLACED,),
        PLACED: (VISITED,),
        VISITED: (PLACED,),
    },
    "entrepreneurship": _INTAKE | {COMPLETED: (STARTED,), STARTED: (JOBS_CREATED,)},
    "jobseeker": {
        SUBMITTED: (REFERRED, EMPLOYED, NOT_PLACED, CANCELLED),
        REFERRED: (EMPLOYED, NOT_PLACED),
        NOT_PLACED: (REFERRED,),
    },
}
# The state an outcome leads to, per track (when that is the next step from the current state).
STATE_OF_OUTCOME = {
    "skills": {"certificate": CERTIFIED, "employment": EMPLOYED},
    "housekeeping": {"certificate": CERTIFIED, "employment": PLACED},
    "entrepreneurship": {"business": STARTED, "jobs": JOBS_CREATED},
    "jobseeker": {"employment": EMPLOYED},
}
# Applications in these states were never served: nothing can be recorded on them.
NOT_SERVED = frozenset({REJECTED, CANCELLED, WITHDRAWN})
ALL_STATES = tuple(
    dict.fromkeys(
        [SUBMITTED, WAITLISTED]
        + [s for track in STEPS.values() for key, nxt in track.items() for s in (key, *nxt)]
        + [WITHDRAWN]
    )
)


def track_of(*, flow: str, course_id: str | None, catalogue: Catalogue) -> str:
    """Return the track of an application: its course's kind, else the one its flow implies."""
    course = catalogue.courses.get(course_id or "")
    if course is not None and flow != "jobseeker":
        return course.kind
    return TRACK_OF_FLOW[flow]


def plain_steps(*, track: str, state: str) -> tuple[str, ...]:
    """Return the next states staff reach with the step form (not through an outcome)."""
    outcome_states = set(STATE_OF_OUTCOME[track].values())
    return tuple(s for s in STEPS[track].get(state, ()) if s not in outcome_states)


def state_after_outcome(*, track: str, state: str, kind: str) -> str:
    """Return the state after recording outcome `kind`: the next step if it is one, else `state`."""
    target = STATE_OF_OUTCOME[track].get(kind)
    if target and target in STEPS[track].get(state, ()):
        return target
    return state


def can_record(*, track: str, state: str, kind: str) -> bool:
    """Tell whether outcome `kind` may be recorded on an application of `track` in `state`."""
    if state in NOT_SERVED:
        return False
    if kind == "realname":
        return True
    return kind in RECORDABLE[track] and (
        track == "jobseeker" or state not in (SUBMITTED, WAITLISTED, ADMITTED)
    )
