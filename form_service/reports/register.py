"""The real-name register (实名制台账) for entry into 全总帮扶系统, per unit or city-wide.

One row per person, keyed by ID number, with the identity block in the order of the ACFTU
困难职工/农民工档案 (姓名, 性别, 出生日期, 身份证号, 身份, 联系电话, 户口类型,
the fields this service collects), then the programme: unit, courses, completion, certificate,
job, business, and the date the person was marked as entered into 全总帮扶系统.

The register lists participants, as the notice asks ("参加就业技能培训和接受职介服务的对象"):
trainees once in training (在训 or later) and every job seeker not cancelled. A person with
several applications is one row: identity from the latest application, the latest outcome of
each kind, the earliest entry date. Every export, from the web or `portal export`, goes through
`produce_register`, which writes the audit record (who, filter, rows, SHA-256 of the file).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from itertools import groupby

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle as lc
from form_service.applications import queries as review
from form_service.applications.outcomes import EMPLOYMENT_ROUTES, OPEN_ENDED
from form_service.reports.spreadsheets import ExportFile, Sheet, Value, export_file
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import applications, outcomes
from site_builder.catalog import Catalogue

FIELDS = (
    "姓名",
    "性别",
    "出生日期",
    "身份证号",
    "身份",
    "联系电话",
    "户口类型",
    "户籍地",
    "文化程度",
    "人员类别",
    "就业状态",
    "所属工会",
    "参加项目",
    "报名编号",
    "结业日期",
    "证书工种",
    "证书等级",
    "证书编号",
    "发证日期",
    "就业单位",
    "就业日期",
    "劳动合同期限(月)",
    "就业途径",
    "创业项目",
    "开业日期",
    "带动就业人数",
    "录入全总帮扶系统日期",
)
TEXT_COLUMNS = frozenset({"身份证号", "联系电话", "报名编号", "证书编号"})
KINDS = {"all": "全部", **lc.TRACKS}
FORMATS = ("xlsx", "csv")
_NOT_YET_TRAINING = frozenset({lc.SUBMITTED, lc.WAITLISTED, lc.ADMITTED})


def participating(*, track: str, state: str) -> bool:
    """Tell whether an application's person belongs in the register."""
    if state in lc.NOT_SERVED:
        return False
    return track == "jobseeker" or state not in _NOT_YET_TRAINING


def acftu_identity(*, target_groups: list[str], employment_status: str) -> str:
    """Map our answers onto the 档案 field 身份 (在岗 / 下(待)岗 / 失(无)业 / 农民工)."""
    if "农民工" in target_groups:
        return "农民工"
    if employment_status.startswith("失业") or employment_status == "应届毕业未就业":
        return "失(无)业"
    if employment_status in ("在岗", "灵活就业"):
        return "在岗"
    return ""


@dataclass
class _Person:
    applications: list[tuple[sa.Row, str]] = field(default_factory=list)  # (row, project)
    latest: dict[str, sa.Row] = field(default_factory=dict)
    realname: date | None = None

    def note(self, outcome: sa.Row) -> None:
        if outcome.kind == "realname":
            day = review.day_of(outcome.happened_on)
            if self.realname is None or day < self.realname:
                self.realname = day
            return
        current = self.latest.get(outcome.kind)
        if current is None or (outcome.happened_on, outcome.id) > (current.happened_on, current.id):
            self.latest[outcome.kind] = outcome


def _project(app: sa.Row, track: str, catalogue: Catalogue) -> str:
    course = catalogue.courses.get(app.course_id or "")
    return f"{lc.TRACKS[track]}:{course.title}" if course else lc.TRACKS[track]


def _day(outcome: sa.Row | None) -> date | None:
    return review.day_of(outcome.happened_on) if outcome is not None else None


def contract_cell(job: sa.Row | None) -> int | str | None:
    """Return the register's contract cell: months, or 无固定期限 for an open-ended contract."""
    if job is None:
        return None
    return OPEN_ENDED if job.contract_open_ended else job.contract_months


def _row(person: _Person, *, cipher: IdentityCipher, catalogue: Catalogue) -> list[Value]:
    app = person.applications[-1][0]
    groups = review.groups_of(app.target_groups_text)
    unit = catalogue.units.get(app.unit_id)
    o = person.latest
    cert, job, business = o.get("certificate"), o.get("employment"), o.get("business")
    jobs = max(
        (x for x in (o.get("jobs"), business) if x is not None),
        default=None,
        key=lambda x: (x.happened_on, x.id),
    )
    return [
        app.name,
        app.gender,
        review.day_of(app.birth_date),
        cipher.decrypt(app.id_number_encrypted),
        acftu_identity(target_groups=list(groups), employment_status=app.employment_status),
        cipher.decrypt(app.phone_encrypted),
        app.household_type,
        app.household_place,
        app.education,
        "、".join(groups),
        app.employment_status,
        catalogue.reporting_unit(unit.id).name if unit else app.unit_id,
        ";".join(project for _, project in person.applications),
        "、".join(row.reference for row, _ in person.applications),
        _day(o.get("completion")),
        cert.occupation if cert else "",
        cert.level if cert else "",
        cert.cert_number if cert else "",
        _day(cert),
        job.employer if job else "",
        _day(job),
        contract_cell(job),
        EMPLOYMENT_ROUTES.get(job.found_via or "", "") if job else "",
        business.business_name if business else "",
        _day(business),
        jobs.jobs_created if jobs else None,
        person.realname,
    ]


def participating_clause(*, kind: str, catalogue: Catalogue) -> list[sa.ColumnElement[bool]]:
    """Return `participating` and the track filter as SQL, so the database does the choosing.

    An application's track is its course's kind (any flow but 求职登记), else its flow's track.
    """
    a = applications.c
    clauses = [
        a.state.not_in(sorted(lc.NOT_SERVED)),
        sa.or_(a.flow == "jobseeker", a.state.not_in(sorted(_NOT_YET_TRAINING))),
    ]
    if kind == "jobseeker":
        clauses.append(a.flow == "jobseeker")
    elif kind != "all":
        known = sorted(catalogue.courses)
        of_kind = sorted(c.id for c in catalogue.courses.values() if c.kind == kind)
        flows = [flow for flow, track in lc.TRACK_OF_FLOW.items() if track == kind]
        clauses.append(a.flow != "jobseeker")
        clauses.append(
            sa.or_(
                a.course_id.in_(of_kind),
                sa.and_(
                    sa.or_(a.course_id.is_(None), a.course_id.not_in(known)), a.flow.in_(flows)
                ),
            )
        )
    return clauses


def _chosen(scope: frozenset[str] | None, clauses: list[sa.ColumnElement[bool]]) -> sa.Subquery:
    """The applications in the register, each with its person's first application id."""
    a = applications.c
    query = sa.select(
        a.id, sa.func.min(a.id).over(partition_by=a.id_number_hash).label("first_id")
    ).where(*clauses)
    if scope is not None:
        query = query.where(a.unit_id.in_(sorted(scope)))
    return query.subquery("chosen")


def register_rows(
    conn: sa.Connection,
    *,
    cipher: IdentityCipher,
    catalogue: Catalogue,
    scope: frozenset[str] | None,
    kind: str = "all",
) -> Iterator[list[Value]]:
    """Yield the register's rows for the routed units in `scope` (None: city-wide).

    Two queries sorted the same way (by the person's first application, then id) are read side
    by side, one person at a time: memory stays flat however many people the register holds.
    """
    a, o = applications.c, outcomes.c
    chosen = _chosen(scope, participating_clause(kind=kind, catalogue=catalogue))
    people = (
        sa.select(
            chosen.c.first_id,
            a.id,
            a.reference,
            a.flow,
            a.course_id,
            a.unit_id,
            a.name,
            a.id_number_encrypted,
            a.phone_encrypted,
            a.gender,
            review.day_column(a.birth_date),
            a.household_place,
            a.household_type,
            review.groups_column(),
            a.education,
            a.employment_status,
        )
        .join(chosen, chosen.c.id == a.id)
        .order_by(chosen.c.first_id, a.id)
    )
    found = (
        sa.select(
            chosen.c.first_id,
            o.id,
            o.kind,
            review.day_column(o.happened_on),
            o.occupation,
            o.level,
            o.cert_number,
            o.employer,
            o.contract_months,
            o.contract_open_ended,
            o.found_via,
            o.business_name,
            o.jobs_created,
        )
        .join(chosen, chosen.c.id == o.application_id)
        .where(o.kind != "enrolment")
        .order_by(chosen.c.first_id, o.id)
    )
    outcome_rows = iter(conn.execute(found.execution_options(yield_per=5_000)))
    pending = next(outcome_rows, None)
    tracks: dict[tuple[str, str | None], str] = {}
    for first_id, group in groupby(
        conn.execute(people.execution_options(yield_per=5_000)), key=lambda r: r.first_id
    ):
        person = _Person()
        for app in group:
            key = (app.flow, app.course_id)
            if key not in tracks:
                tracks[key] = lc.track_of(
                    flow=app.flow, course_id=app.course_id, catalogue=catalogue
                )
            person.applications.append((app, _project(app, tracks[key], catalogue)))
        while pending is not None and pending.first_id <= first_id:
            if pending.first_id == first_id:
                person.note(pending)
            pending = next(outcome_rows, None)
        yield _row(person, cipher=cipher, catalogue=catalogue)


def register_sheet(rows: Iterable[list[Value]]) -> Sheet:
    """Return the register as a sheet: one header row, then one row per person (importable)."""
    return Sheet(name="实名制台账", fieldnames=FIELDS, rows=rows, text_columns=TEXT_COLUMNS)


def file_name(*, unit_id: str | None, kind: str, fmt: str, on: date) -> str:
    return f"实名制台账-{unit_id or 'city'}-{kind}-{on.isoformat()}.{fmt}"


def produce_register(
    conn: sa.Connection,
    *,
    cipher: IdentityCipher,
    catalogue: Catalogue,
    scope: frozenset[str] | None,
    unit_id: str | None,
    kind: str,
    fmt: str,
    on: date,
    by: Actor,
) -> ExportFile:
    """Build the register file and write the audit record, in the caller's write transaction.

    The file is written to a temporary file as the rows are read (flat memory) and streamed from
    there; the audit record names its rows and SHA-256.
    """
    rows = register_rows(conn, cipher=cipher, catalogue=catalogue, scope=scope, kind=kind)
    unit_name = catalogue.units[unit_id].name if unit_id else "全市"
    made = export_file(
        register_sheet(rows), name=file_name(unit_id=unit_id, kind=kind, fmt=fmt, on=on), fmt=fmt
    )
    audit.record(
        conn,
        by=by,
        action="export",
        unit_id=unit_id,
        target=f"实名制台账 {unit_name} {KINDS[kind]}",
        detail={
            "format": fmt,
            "unit": unit_id or "city",
            "kind": kind,
            "rows": made.rows,
            "sha256": made.sha256,
        },
    )
    return made
