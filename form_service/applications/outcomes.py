"""Steps and outcome records on applications, and the results of job fairs.

Every step and every record writes one `application_events` row (who, when, from, to, what), so
the history on the detail page is complete. Dates of outcomes are the dates things happened
(结业 on 08-20, certificate issued on 09-02), not the day staff typed them: the statistics count
by these dates.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from form_service.applications import lifecycle as lc
from form_service.applications.queries import rows_of_application
from form_service.messages import Refusal
from form_service.store.tables import application_events, applications, job_fair_results, outcomes

FAIR_FIELDS = {
    "employers": "参会企业(家)",
    "posts": "提供岗位(个)",
    "visitors": "进场求职(人)",
    "intentions": "达成意向(人)",
    "hires": "确认录用(人,1年以上合同)",
}


# How an employment came about; staff choose one whenever they record a job. Which of them
# count toward 职业介绍 is a counting rule of the return (`reports/statistics.py`).
EMPLOYMENT_ROUTES = {
    "union_referral": "工会职业介绍",
    "job_fair": "招聘会",
    "self_found": "自行就业",
    "other": "其他",
}
OPEN_ENDED = "无固定期限"


class StepRefused(Refusal):
    """A step or record that the lifecycle does not allow, or that someone else got to first."""


@dataclass(frozen=True)
class Outcome:
    """What staff record; only the fields of its kind are used."""

    kind: str
    happened_on: date
    occupation: str = ""
    level: str = ""
    cert_number: str = ""
    employer: str = ""
    contract_months: int | None = None
    # A job records how it came about (a key of EMPLOYMENT_ROUTES) and whether the contract
    # has no end date (then `contract_months` is None).
    found_via: str = ""
    open_ended: bool = False
    business_name: str = ""
    jobs_created: int | None = None
    note: str = ""

    def summary(self) -> str:
        """Return one line for the history, e.g. `职业资格证书 计算机操作员 五级 No.123`."""
        parts = [lc.OUTCOME_KINDS[self.kind], self.happened_on.isoformat()]
        if self.kind == "certificate":
            parts += [self.occupation, self.level, self.cert_number]
        elif self.kind == "employment":
            parts += [self.employer, EMPLOYMENT_ROUTES.get(self.found_via, ""), self.term()]
        elif self.kind == "business":
            parts += [self.business_name, f"带动就业{self.jobs_created or 0}人"]
        elif self.kind == "jobs":
            parts += [f"累计带动就业{self.jobs_created or 0}人"]
        return " ".join(p for p in parts if p)

    def term(self) -> str:
        """Return the contract term as people say it: `合同12个月` or `无固定期限合同`."""
        return contract_term(months=self.contract_months, open_ended=self.open_ended)


def contract_term(*, months: int | None, open_ended: bool) -> str:
    """Say a job's contract term in words, for the history, the detail page and the register."""
    if open_ended:
        return f"{OPEN_ENDED}合同"
    return f"合同{months}个月" if months is not None else ""


def _now() -> datetime:
    return datetime.now(UTC)


def _move(
    conn: sa.Connection, application_id: int, expected: str, to_state: str, *,
    actor: str, note: str, at: datetime | None,
) -> None:  # fmt: skip
    """Move from `expected` to `to_state` if still `expected` (optimistic check); write the history."""
    now = at or _now()
    values: dict[str, object] = {"state": to_state, "updated_at": now}
    if to_state == lc.ADMITTED:
        values["waitlisted"] = False  # admitted from the waiting list: now holds a seat
    changed = conn.execute(
        applications.update()
        .where(applications.c.id == application_id, applications.c.state == expected)
        .values(**values)
    ).rowcount
    if changed != 1:
        raise StepRefused("这份申请刚刚被其他工作人员处理过,请刷新页面后再操作。")
    conn.execute(
        application_events.insert().values(
            application_id=application_id,
            at=now,
            actor=actor,
            from_state=expected,
            to_state=to_state,
            note=note,
        )
    )


def take_step(
    conn: sa.Connection,
    *,
    application_id: int,
    track: str,
    expected: str,
    to_state: str,
    on: date,
    actor: str,
    note: str = "",
    at: datetime | None = None,
) -> None:
    """Move an application one plain step on; 在训 and 结业 record their date as an outcome.

    `at` is when it was done (default now); demo data passes plausible 2011 times.
    """
    if to_state not in lc.plain_steps(track=track, state=expected):
        raise StepRefused(f"“{expected}”的申请不能直接改为“{to_state}”。")
    kind = lc.DATED_STEPS.get(to_state)
    text = f"{to_state} {on.isoformat()}" if kind else to_state
    _move(conn, application_id, expected, to_state, actor=actor, at=at,
          note=f"{text};{note}" if note else text)  # fmt: skip
    if kind:
        _insert(conn, application_id=application_id, outcome=Outcome(kind, on), actor=actor, at=at)


def _insert(
    conn: sa.Connection, *, application_id: int, outcome: Outcome, actor: str, at: datetime | None
) -> None:
    # The fields of Outcome are the columns of `outcomes`, but for these two.
    values = asdict(outcome)
    values["found_via"] = outcome.found_via or None
    values["contract_open_ended"] = values.pop("open_ended")
    conn.execute(
        outcomes.insert().values(
            application_id=application_id, recorded_by=actor, recorded_at=at or _now(), **values
        )
    )


def record_outcome(
    conn: sa.Connection,
    *,
    application_id: int,
    track: str,
    expected: str,
    outcome: Outcome,
    actor: str,
    at: datetime | None = None,
) -> str:
    """Record an outcome, move to the state it leads to when that is the next step; return it."""
    if not lc.can_record(track=track, state=expected, kind=outcome.kind):
        raise StepRefused(
            f"“{expected}”状态的{lc.TRACKS[track]}申请不能记录{lc.OUTCOME_KINDS[outcome.kind]}。"
        )
    if outcome.kind == "realname" and realname_date(conn, application_id=application_id):
        raise StepRefused("这份申请已经标记为录入全总帮扶系统。")
    to_state = lc.state_after_outcome(track=track, state=expected, kind=outcome.kind)
    note = "记录" + outcome.summary() + (f";{outcome.note}" if outcome.note else "")
    _move(conn, application_id, expected, to_state, actor=actor, note=note, at=at)
    _insert(conn, application_id=application_id, outcome=outcome, actor=actor, at=at)
    return to_state


def outcomes_of(conn: sa.Connection, *, application_id: int) -> list[sa.Row]:
    """Return the outcomes of one application, oldest first."""
    return rows_of_application(
        conn, outcomes, application_id=application_id, dated_by="happened_on"
    )


def realname_date(conn: sa.Connection, *, application_id: int) -> date | None:
    """Return when the person of this application was marked as entered into 全总帮扶系统."""
    return conn.execute(  # type: ignore[no-any-return]
        sa.select(sa.func.min(outcomes.c.happened_on)).where(
            outcomes.c.application_id == application_id, outcomes.c.kind == "realname"
        )
    ).scalar()


def save_fair_result(
    conn: sa.Connection, *, fair_id: str, unit_id: str, counts: dict[str, int], actor: str
) -> None:
    """Enter or correct the results of one job fair."""
    values = {key: int(counts[key]) for key in FAIR_FIELDS}
    stamp = {"unit_id": unit_id, "entered_by": actor, "entered_at": _now()}
    updated = conn.execute(
        job_fair_results.update()
        .where(job_fair_results.c.fair_id == fair_id)
        .values(**values, **stamp)
    ).rowcount
    if not updated:
        conn.execute(job_fair_results.insert().values(fair_id=fair_id, **values, **stamp))


def fair_results(conn: sa.Connection) -> dict[str, sa.Row]:
    """Return the entered results of every job fair by fair id."""
    return {row.fair_id: row for row in conn.execute(sa.select(job_fair_results))}
