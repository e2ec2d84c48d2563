"""Synthetic applicants for trying the console out (`portal demo-data`), marked `is_demo`.

A few hundred fictitious people (valid ID check digits from real prefixes, plausible 2011
birth dates, 13x/15x/18x mobiles) apply for the catalogue's courses and job search, and move
along their tracks with dated outcomes spread over July–December 2011, so that each reporting
cut-off has outcomes on both sides. The same seed gives the same people. Refused in production
and on a store that already holds applications.
"""

from __future__ import annotations

import random
import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle as lc
from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.identity import check_character
from form_service.applications.outcomes import Outcome, record_outcome, take_step
from form_service.applications.submit import NewApplication, submit_application
from form_service.messages import Refusal
from form_service.store.crypto import IdentityCipher
from form_service.store.engine import Store
from form_service.store.tables import applications
from site_builder.catalog import Catalogue, Course
from site_builder.catalog.clock import SHANGHAI

STAFF = "演示工作人员"
YEAR_END = date(2011, 12, 31)
LEVELS = ("一级", "二级", "三级", "四级", "五级", "专项职业能力")
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾萧田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈"
GIVEN = "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂英华建国红梅玉兰志强海燕晓东春生小红金凤"
HOME_PROVINCES = (
    "341221",
    "340121",
    "412728",
    "411323",
    "511324",
    "510321",
    "320321",
    "360421",
    "421022",
    "430521",
)
EMPLOYERS = (
    "上海某物业管理有限公司(示例)",
    "某连锁超市(示例)",
    "某餐饮管理公司(示例)",
    "某物流有限公司(示例)",
    "某汽车零部件厂(示例)",
    "某家庭服务有限公司(示例)",
    "某保安服务公司(示例)",
    "某雇主家庭(示例)",
)
BUSINESSES = (
    "便民早餐店(示例)",
    "家电维修部(示例)",
    "社区家政服务社(示例)",
    "网店(示例)",
    "裁缝铺(示例)",
)


class DemoRefused(Refusal):
    """A demo-data request that cannot be done; `message` says why."""


@dataclass(frozen=True)
class Plan:
    track: str
    course: Course | None
    unit_id: str
    applied: date


def _id_number(rng: random.Random, *, prefix: str, born: date, male: bool) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    body = f"{prefix}{born:%Y%m%d}{sequence:03d}"
    return body + check_character(body)


def _person(rng: random.Random, catalogue: Catalogue, track: str) -> dict[str, object]:
    group = rng.choices(
        ("农民工", "下岗失业人员", "困难职工家庭高校毕业生", "就业困难人员", "协保人员"),
        (45, 30, 15, 6, 4),
    )[0]
    female = rng.random() < (0.85 if track == "housekeeping" else 0.45)
    age = rng.randint(21, 24) if group == "困难职工家庭高校毕业生" else rng.randint(18, 52)
    born = date(2011 - age, 1, 1) + timedelta(days=rng.randrange(365))
    districts = [u.code for u in catalogue.units.values() if u.type == "district" and u.code]
    migrant = group == "农民工"
    prefix = rng.choice(HOME_PROVINCES) if migrant else rng.choice(districts)
    education = (
        "本科"
        if group == "困难职工家庭高校毕业生"
        else rng.choice(("小学及以下", "初中", "初中", "高中", "中专·职校·技校"))
    )
    status = {"农民工": "在岗", "困难职工家庭高校毕业生": "应届毕业未就业"}.get(
        group, "失业(已登记)"
    )
    return {
        "name": rng.choice(SURNAMES)
        + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2)))),
        "id_number": _id_number(rng, prefix=prefix, born=born, male=not female),
        "birth_date": born,
        "gender": "女" if female else "男",
        "phone": rng.choice(("13", "15", "18"))
        + str(rng.randint(0, 9))
        + f"{rng.randrange(10**8):08d}",
        "household_place": "外省市" if migrant else "本市",
        "household_type": "农业" if migrant else rng.choice(("非农业", "非农业", "农转居")),
        # The random draw is made either way so that a seed keeps giving the same people.
        "target_groups": (group,)
        if rng.random() < 0.8 or group == "就业困难人员"
        else (group, "就业困难人员"),
        "education": education,
        "employment_status": status,
    }


def _plan(rng: random.Random, catalogue: Catalogue) -> Plan:
    track = rng.choices(
        ("skills", "housekeeping", "entrepreneurship", "jobseeker"), (45, 20, 12, 23)
    )[0]
    courses = [c for c in catalogue.courses.values() if c.kind == track]
    units = [u.id for u in catalogue.active_districts() + catalogue.industry_unions()]
    course = rng.choice(courses) if courses and (track == "skills" or rng.random() < 0.6) else None
    if course is not None:
        applied = course.apply_by - timedelta(days=rng.randint(0, 25))
        return Plan(track, course, catalogue.reporting_unit(course.unit).id, applied)
    applied = date(2011, 6, 20) + timedelta(days=rng.randint(0, 130))
    return Plan(track, None, rng.choice(units), applied)


def _at(day: date, rng: random.Random) -> datetime:
    """A working-hours moment a few days after `day`, as staff would have typed it."""
    moment = datetime.combine(
        day + timedelta(days=rng.randint(0, 3)), time(9 + rng.randint(0, 7)), SHANGHAI
    )
    return moment.astimezone(UTC)


class _Past(Exception):
    """The story reached the end of the programme year: stop there."""


class _Story:
    """One application moving along its track; steps dated after 2011 are not taken."""

    def __init__(
        self, conn: sa.Connection, rng: random.Random, *, app_id: int, track: str, state: str
    ) -> None:
        self.conn, self.rng, self.app_id, self.track = conn, rng, app_id, track
        self.state = state

    def step(self, to_state: str, on: date) -> None:
        if on > YEAR_END:
            raise _Past
        take_step(
            self.conn,
            application_id=self.app_id,
            track=self.track,
            expected=self.state,
            to_state=to_state,
            on=on,
            actor=STAFF,
            at=_at(on, self.rng),
        )
        self.state = to_state

    def record(self, kind: str, on: date, **fields: Any) -> None:
        if on > YEAR_END:
            raise _Past
        self.state = record_outcome(
            self.conn,
            application_id=self.app_id,
            track=self.track,
            expected=self.state,
            outcome=Outcome(kind, on, **fields),
            actor=STAFF,
            at=_at(on, self.rng),
        )


# Most jobs of people the union serves come through its own introductions; the rest do not
# count toward 职业介绍 (reports/statistics.py), so the demo return shows the difference.
_ROUTES = ("union_referral",) * 6 + ("job_fair",) * 2 + ("self_found", "other")


def _job_terms(rng: random.Random, months: tuple[int, ...]) -> dict[str, Any]:
    """Return how a demo job came about and its contract term (one in ten open-ended)."""
    terms: dict[str, Any] = {"found_via": rng.choice(_ROUTES)}
    if rng.random() < 0.1:
        terms["open_ended"] = True
    else:
        terms["contract_months"] = rng.choice(months)
    return terms


def _jobseeker(story: _Story, rng: random.Random, start: date) -> None:
    if rng.random() < 0.1:
        return story.step(lc.CANCELLED, start)
    story.step(lc.REFERRED, start)
    if rng.random() < 0.55:
        story.record(
            "employment",
            start + timedelta(days=rng.randint(5, 60)),
            employer=rng.choice(EMPLOYERS),
            **_job_terms(rng, (3, 6, 12, 12, 24, 36)),
        )
    if rng.random() < 0.6:
        story.record("realname", start + timedelta(days=rng.randint(3, 30)))
    return None


def _trainee(story: _Story, rng: random.Random, plan: Plan, start: date) -> None:
    roll = rng.random()
    if roll < 0.08:
        return story.step(lc.REJECTED, start)
    if roll < 0.12:
        return None  # still waiting to be called
    story.step(lc.ADMITTED, start)
    course, track = plan.course, plan.track
    begin = course.start_date if course else start + timedelta(days=rng.randint(5, 20))
    end = course.end_date if course else begin + timedelta(days=rng.randint(10, 40))
    story.step(lc.IN_TRAINING, max(begin, start))
    if rng.random() < 0.07:
        return story.step(lc.DROPPED, begin + timedelta(days=rng.randint(3, 20)))
    story.step(lc.COMPLETED, end)
    if rng.random() < 0.65:
        story.record("realname", end + timedelta(days=rng.randint(1, 40)))
    if track in ("skills", "housekeeping") and rng.random() < (0.8 if track == "skills" else 0.4):
        level = course.level if course else "五级"
        story.record(
            "certificate",
            end + timedelta(days=rng.randint(10, 45)),
            occupation=course.occupation if course else "家政服务员",
            level=level if level in LEVELS else "培训合格证",
            cert_number=f"SH2011{rng.randrange(10**6):06d}",
        )
    if track in ("skills", "housekeeping") and rng.random() < (0.5 if track == "skills" else 0.8):
        months = (6, 12, 12, 24, 36) if track == "skills" else (3, 6, 12, 12, 24)
        story.record(
            "employment",
            end + timedelta(days=rng.randint(3, 60)),
            employer=rng.choice(EMPLOYERS),
            **_job_terms(rng, months),
        )
    if track == "entrepreneurship" and rng.random() < 0.45:
        opened = end + timedelta(days=rng.randint(15, 90))
        story.record(
            "business", opened, business_name=rng.choice(BUSINESSES), jobs_created=rng.randint(0, 3)
        )
        if rng.random() < 0.4:
            story.record(
                "jobs", opened + timedelta(days=rng.randint(20, 60)), jobs_created=rng.randint(3, 6)
            )
    return None


def _tell(conn: sa.Connection, rng: random.Random, plan: Plan, app_id: int, state: str) -> None:
    """Move one application along its track with dated steps and outcomes, up to 2011-12-31."""
    story = _Story(conn, rng, app_id=app_id, track=plan.track, state=state)
    start = plan.applied + timedelta(days=rng.randint(3, 10))
    try:
        if plan.track == "jobseeker":
            _jobseeker(story, rng, start)
        else:
            _trainee(story, rng, plan, start)
    except _Past:
        pass


def fill(
    store: Store,
    *,
    catalogue: Catalogue,
    cipher: IdentityCipher,
    count: int = 300,
    seed: int = 2011,
    by: Actor,
) -> int:
    """Add `count` demo applicants with their histories to an empty store, audited; return how many."""
    with store.read() as conn:
        if conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one():
            raise DemoRefused("库里已经有申请,演示数据只能放进空库(请换一个 PORTAL_DATABASE_URL)。")
    rng = random.Random(seed)
    made = 0
    while made < count:
        plan = _plan(rng, catalogue)
        person = _person(rng, catalogue, plan.track)
        flow = {"skills": "training"}.get(plan.track, plan.track)
        applied_at = datetime.combine(
            plan.applied, time(rng.randint(8, 21), rng.randint(0, 59)), SHANGHAI
        )
        new = NewApplication(
            flow=flow,
            course_id=plan.course.id if plan.course else None,
            unit_id=plan.unit_id,
            details={"home_unit": plan.unit_id},
            consent_version=CONSENT_VERSION,
            consent_at=applied_at,
            idempotency_key=secrets.token_hex(16),
            is_demo=True,
            **person,  # type: ignore[arg-type]
        )
        result = submit_application(
            store, application=new, cipher=cipher, seat_rule=None, now=applied_at
        )
        if result.kind != "created":
            continue
        with store.write() as conn:
            row = conn.execute(
                sa.select(applications.c.id, applications.c.state).where(
                    applications.c.reference == result.reference
                )
            ).one()
            _tell(conn, rng, plan, row.id, row.state)
        made += 1
    with store.write() as conn:
        audit.record(
            conn, by=Actor(by.name), action="demo_data", detail={"count": made, "seed": seed}
        )
    return made
