"""What a unit still owes before the next cut-off, per course and in total, and its progress.

Three lists, counted in the database within the reader's scope:
- waiting: applications still 已提交 or 候补, untouched for more than N days (the applicant was
  promised a call within 5 working days);
- finished without a result: trainees in 结业 with nothing recorded since (no certificate, job
  or business yet: the outcome form or a results import moves them on);
- not yet entered into 全总帮扶系统: people in the register (`register.participating_clause`)
  without the entry mark.
Progress against the four targets is the 统计表's own count up to today, so the bars and the
return never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from form_service.applications import lifecycle as lc
from form_service.reports.register import participating_clause
from form_service.reports.spreadsheets import Rate
from form_service.reports.statistics_sheet import build_return, default_cutoff, due_date
from form_service.store.tables import applications, outcomes
from site_builder.catalog import Catalogue

WAITING_DAYS = 7
SHANGHAI = ZoneInfo("Asia/Shanghai")
# (label, 完成数 column, 指标数 column) of the 统计表, in the order of the notice.
TARGET_BARS = (
    ("技能培训(获初级以上证书)", "skills_certified", "skills_target"),
    ("家政培训(结业)", "hk_trained", "hk_target"),
    ("创业培训(结业)", "ent_trained", "ent_target"),
    ("职业介绍(1年以上合同)", "pl_done", "pl_target"),
)


@dataclass(frozen=True)
class Bar:
    label: str
    done: int
    target: int | None

    @property
    def rate(self) -> Rate:
        return Rate(self.done, self.target)

    @property
    def short(self) -> int | None:
        """How many are still missing to reach the target (None without a target)."""
        return None if self.target is None else max(0, self.target - self.done)


@dataclass(frozen=True)
class Progress:
    on: date
    cutoff: date
    due: date | None
    bars: tuple[Bar, ...]
    example_targets: bool = False  # the unit's targets are made up (targets.yaml example: true)

    @property
    def days_to_cutoff(self) -> int:
        return (self.cutoff - self.on).days

    @property
    def days_to_due(self) -> int | None:
        return None if self.due is None else (self.due - self.on).days


@dataclass(frozen=True)
class Line:
    course_id: str  # "" for applications without a course
    flow: str
    label: str
    waiting: int = 0
    finished: int = 0
    not_entered: int = 0


def progress(
    conn: sa.Connection, *, catalogue: Catalogue, unit_id: str | None, on: date
) -> Progress:
    """Return the unit's (None: the city's) count to date against its targets, and the dates ahead."""
    result, _sheet = build_return(conn, catalogue=catalogue, cutoff=on, unit_id=unit_id)
    row = result.rows[-1]  # the unit's own row, or 全市合计
    bars = tuple(
        Bar(label, int(row.values.get(done) or 0), row.values.get(target))  # type: ignore[arg-type]
        for label, done, target in TARGET_BARS
    )
    cutoff = default_cutoff(catalogue, on=on)
    target = catalogue.targets.get(unit_id or "")
    example = target is not None and target.example
    return Progress(on, cutoff, due_date(catalogue, cutoff), bars, example)


def _counts(conn: sa.Connection, query: sa.Select) -> dict[tuple[str, str], int]:
    return {(course or "", flow): int(n) for course, flow, n in conn.execute(query)}


def work_lines(
    conn: sa.Connection,
    *,
    catalogue: Catalogue,
    scope: frozenset[str] | None,
    on: date,
    waiting_days: int = WAITING_DAYS,
) -> list[Line]:
    """Return one line per course (and per flow without a course) with something owed on `on`."""
    since = datetime.combine(on - timedelta(days=waiting_days), time(), tzinfo=SHANGHAI)
    a, o = applications.c, outcomes.c
    base = sa.select(a.course_id, a.flow, sa.func.count()).group_by(a.course_id, a.flow)
    if scope is not None:
        base = base.where(a.unit_id.in_(sorted(scope)))
    waiting = _counts(conn, base.where(
        a.state.in_((lc.SUBMITTED, lc.WAITLISTED)), a.updated_at < since
    ))  # fmt: skip
    finished = _counts(conn, base.where(a.state == lc.COMPLETED))
    entered = sa.select(o.application_id).where(o.kind == "realname")
    not_entered = _counts(conn, base.where(
        *participating_clause(kind="all", catalogue=catalogue), a.id.not_in(entered)
    ))  # fmt: skip
    lines = []
    for key in sorted(waiting.keys() | finished.keys() | not_entered.keys()):
        course_id, flow = key
        course = catalogue.courses.get(course_id)
        label = course.title if course else lc.FLOW_TITLES[flow]
        lines.append(Line(course_id, flow, label, waiting.get(key, 0), finished.get(key, 0),
                          not_entered.get(key, 0)))  # fmt: skip
    return sorted(
        lines, key=lambda x: (x.course_id == "", -(x.waiting + x.finished + x.not_entered), x.label)
    )


def total(lines: list[Line]) -> Line:
    return Line("", "", "合计", sum(x.waiting for x in lines), sum(x.finished for x in lines),
                sum(x.not_entered for x in lines))  # fmt: skip
