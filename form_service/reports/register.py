"""The real-name register (实名制台账) for entry into 全总帮扶系统, per unit or city-wide.

One row per person, keyed by ID number, with the identity block in the order of the ACFTU
困难职工/农民工档案 (姓名, 性别, 出生日期, 身份证号, 身份, 联系电话, 户口类型 — domain.md §6.2,
the fields this service collects), then the programme: unit, courses, completion, certificate,
job, business, and the date the person was marked as entered into 全总帮扶系统.

The register lists participants, as the notice asks ("参加就业技能培训和接受职介服务的对象"):
trainees once in training (在训 or later) and every job seeker not cancelled. A person with
several applications is one row: identity from the latest application, the latest outcome of
each kind, the earliest entry date. Every export, from the web or `portal export`, goes through
`produce_register`, which writes the audit record (who, filter, rows, SHA-256 of the file).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle as lc
from form_service.applications import queries as review
from form_service.applications.crypto import IdentityCipher
from form_service.reports.spreadsheets import ExportFile, Sheet, Value, render_csv, render_xlsx
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
    "参考号",
    "结业日期",
    "证书工种",
    "证书等级",
    "证书编号",
    "就业单位",
    "就业日期",
    "劳动合同期限(月)",
    "创业项目",
    "开业日期",
    "带动就业人数",
    "录入全总帮扶系统日期",
)
TEXT_COLUMNS = frozenset({"身份证号", "联系电话", "参考号", "证书编号"})
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
            if self.realname is None or outcome.happened_on < self.realname:
                self.realname = outcome.happened_on
            return
        current = self.latest.get(outcome.kind)
        if current is None or (outcome.happened_on, outcome.id) > (current.happened_on, current.id):
            self.latest[outcome.kind] = outcome


def _project(app: sa.Row, track: str, catalogue: Catalogue) -> str:
    course = catalogue.courses.get(app.course_id or "")
    return f"{lc.TRACKS[track]}:{course.title}" if course else lc.TRACKS[track]


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
    completion = o.get("completion")
    return [
        app.name,
        app.gender,
        app.birth_date,
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
        completion.happened_on if completion else None,
        cert.occupation if cert else "",
        cert.level if cert else "",
        cert.cert_number if cert else "",
        job.employer if job else "",
        job.happened_on if job else None,
        job.contract_months if job else None,
        business.business_name if business else "",
        business.happened_on if business else None,
        jobs.jobs_created if jobs else None,
        person.realname,
    ]


def register_rows(
    conn: sa.Connection,
    *,
    cipher: IdentityCipher,
    catalogue: Catalogue,
    scope: frozenset[str] | None,
    kind: str = "all",
) -> RegisterRows:
    """Return the register's rows for the routed units in `scope` (None: city-wide)."""
    a, o = applications.c, outcomes.c
    query = sa.select(
        a.id,
        a.reference,
        a.flow,
        a.course_id,
        a.unit_id,
        a.state,
        a.name,
        a.id_number_encrypted,
        a.id_number_hash,
        a.phone_encrypted,
        a.gender,
        review.day_column(a.birth_date),
        a.household_place,
        a.household_type,
        review.groups_column(),
        a.education,
        a.employment_status,
    ).order_by(a.id)
    if scope is not None:
        query = query.where(a.unit_id.in_(sorted(scope)))
    people: dict[str, _Person] = {}
    by_application: dict[int, _Person] = {}
    tracks: dict[tuple[str, str | None], str] = {}
    for app in conn.execute(query.execution_options(yield_per=5_000)):
        key = (app.flow, app.course_id)
        if key not in tracks:
            tracks[key] = lc.track_of(flow=app.flow, course_id=app.course_id, catalogue=catalogue)
        track = tracks[key]
        if (kind != "all" and track != kind) or not participating(track=track, state=app.state):
            continue
        person = people.setdefault(app.id_number_hash, _Person())
        person.applications.append((app, _project(app, track, catalogue)))
        by_application[app.id] = person
    found = sa.select(
        o.id,
        o.application_id,
        o.kind,
        review.day_column(o.happened_on),
        o.occupation,
        o.level,
        o.cert_number,
        o.employer,
        o.contract_months,
        o.business_name,
        o.jobs_created,
    ).order_by(o.id)
    if scope is not None:
        found = found.join(applications).where(a.unit_id.in_(sorted(scope)))
    for outcome in conn.execute(found.execution_options(yield_per=5_000)):
        person_of = by_application.get(outcome.application_id)
        if person_of is not None:
            person_of.note(outcome)
    return RegisterRows(list(people.values()), cipher, catalogue)


@dataclass(frozen=True)
class RegisterRows:
    """The register's rows, made one by one as a writer asks for them (100,000s of people)."""

    people: list[_Person]
    cipher: IdentityCipher
    catalogue: Catalogue

    def __len__(self) -> int:
        return len(self.people)

    def __iter__(self) -> Iterator[list[Value]]:
        for person in self.people:
            yield _row(person, cipher=self.cipher, catalogue=self.catalogue)


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
    """Build the register file and write the audit record, in the caller's write transaction."""
    rows = register_rows(conn, cipher=cipher, catalogue=catalogue, scope=scope, kind=kind)
    unit_name = catalogue.units[unit_id].name if unit_id else "全市"
    sheet = register_sheet(rows)
    content = render_xlsx(sheet) if fmt == "xlsx" else render_csv(sheet)
    audit.record(
        conn,
        actor=by.name,
        action="export",
        unit_id=unit_id,
        target=f"实名制台账 {unit_name} {KINDS[kind]}",
        detail={
            "format": fmt,
            "unit": unit_id or "city",
            "kind": kind,
            "rows": len(rows),
            "sha256": hashlib.sha256(content).hexdigest(),
        },
        ip=by.ip,
    )
    return ExportFile(file_name(unit_id=unit_id, kind=kind, fmt=fmt, on=on), content, len(rows))
