"""`import_signups`: a sign-up sheet or class list into applications, all or nothing.

Each row is checked (`signups.read_signup`), the whole file is matched against the store (the
same person and flow and course is recognised: skipped, or missing outcomes recorded), and only
a file without a single problem is stored, in one write transaction with its audit record.
New applications go in as the web form stores them (`submit.stored_row`): channel 批量导入, the
importing staff member, paper consent; a class list puts them 在训 from the course's first day,
a sign-up sheet (`applied_only`) leaves them 已提交 for staff to admit.
"""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from form_service.accounts.audit import Actor
from form_service.applications import lifecycle as lc
from form_service.applications.consent import CONSENT_VERSION
from form_service.applications.identity import mask_id_number
from form_service.applications.outcomes import Outcome
from form_service.applications.references import new_reference
from form_service.applications.submit import NewApplication, dedupe_key, stored_row
from form_service.imports import applying, plan
from form_service.imports.cells import same_outcome
from form_service.imports.plan import ImportPlan, Step
from form_service.imports.problems import ImportRefused, Problem
from form_service.imports.reading import read_table
from form_service.imports.signups import Project, SignUp, read_signup
from form_service.reports.register import FIELDS
from form_service.store.crypto import IdentityCipher
from form_service.store.engine import Store
from form_service.store.tables import application_events, applications, outcomes
from site_builder.catalog import Catalogue

CHANNEL = "批量导入"
CHUNK = 1_000
KNOWN = frozenset(FIELDS) | {"课程编号", "发证日期", "就业途径", "同意书签署日期", "同意书存放处"}


def _new_application(
    s: SignUp, p: Project, *, catalogue: Catalogue, by: Actor, now: datetime
) -> NewApplication:
    course = catalogue.courses.get(p.course_id or "")
    routed = catalogue.reporting_unit(course.unit if course else s.home_unit).id
    return NewApplication(
        flow=p.flow,
        course_id=p.course_id,
        unit_id=routed,
        name=s.name,
        id_number=s.resident.number,
        birth_date=s.resident.birth_date,
        gender=s.resident.gender,
        phone=s.phone,
        household_place=s.household_place,
        household_type=s.household_type,
        target_groups=s.groups,
        education=s.education,
        employment_status=s.employment_status,
        details={"home_unit": s.home_unit},
        consent_version=CONSENT_VERSION,
        consent_at=now,
        idempotency_key=uuid.uuid4().hex,
        channel=CHANNEL,
        entered_by=by.name,
        paper_consent_on=s.consent_on,
        paper_consent_kept=s.consent_kept or None,
    )


class _Planner:
    """Match the checked rows against the store and collect what to do, or the problems."""

    def __init__(self, *, result: ImportPlan, catalogue: Catalogue, cipher: IdentityCipher,
                 today: date, scope: frozenset[str] | None, applied_only: bool) -> None:  # fmt: skip
        self.result, self.file = result, result.file
        self.catalogue, self.cipher, self.today = catalogue, cipher, today
        self.scope, self.applied_only = scope, applied_only
        self.problems: list[Problem] = []
        # What to add: the row, the project, its state and outcomes (built into rows per chunk).
        self.new: list[tuple[SignUp, Project, str, list[Outcome]]] = []
        self.changes: list[tuple[sa.Row, str, list[Outcome], str]] = []

    def fail(self, line: int, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, line, column, message))

    def _start(self, p: Project) -> tuple[str, list[Outcome]]:
        if self.applied_only or p.track == "jobseeker":
            return lc.SUBMITTED, []
        course = self.catalogue.courses.get(p.course_id or "")
        began = [Outcome("enrolment", min(course.start_date, self.today))] if course else []
        return lc.IN_TRAINING, began

    def _walk(self, s: SignUp, p: Project, state: str, found: list[Outcome]) -> str | None:
        for outcome in found:
            after = applying.advance(track=p.track, state=state, outcome=outcome)
            if after is None:
                self.fail(
                    s.line,
                    "参加项目",
                    applying.refusal(track=p.track, state=state, outcome=outcome),
                )
                return None
            state = after
        return state

    def add(self, s: SignUp, stored: list[sa.Row], recorded: dict[int, list[sa.Row]]) -> None:
        """Plan each project of one row: add it, skip it, or record what is missing."""
        who = f"{s.name} {mask_id_number(s.resident.number)}"
        id_hash = self.cipher.keyed_hash(s.resident.number)
        for index, p in enumerate(s.projects):
            found = s.outcomes.get(index, [])
            course = self.catalogue.courses.get(p.course_id or "")
            routed = self.catalogue.reporting_unit(course.unit if course else s.home_unit)
            if self.scope is not None and routed.id not in self.scope:
                where = (
                    f"课程“{course.title}”由{routed.name}负责" if course else f"属于{routed.name}"
                )
                self.fail(
                    s.line, p.column if course else "所属工会", f"{where},不是本单位的,不能导入"
                )
                continue
            key = dedupe_key(flow=p.flow, course_id=p.course_id, id_number_hash=id_hash)
            twin = next((r for r in stored if r.dedupe_key == key), None)
            note = f"批量导入 {self.file} 第 {s.line} 行"
            if twin is None:
                state, began = self._start(p)
                final = self._walk(s, p, state, found)
                if final is not None:
                    self.new.append((s, p, final, began + found))
                    self.result.add(Step(s.line, who, p.label, plan.ADDED, final))
                continue
            if self.scope is not None and twin.unit_id not in self.scope:
                self.fail(
                    s.line,
                    "身份证号",
                    f"此人的“{p.label}”申请已在其他单位({twin.reference}),不能重复导入",
                )
                continue
            have = recorded.get(twin.id, [])
            missing = [
                o for o in found
                if not any(same_outcome(r, o) or (o.kind == r.kind == "realname") for r in have)
            ]  # fmt: skip
            if not missing:
                self.result.add(
                    Step(s.line, who, p.label, plan.SKIPPED, twin.state, twin.reference)
                )
                continue
            track = lc.track_of(flow=twin.flow, course_id=twin.course_id, catalogue=self.catalogue)
            final = self._walk(s, Project(p.flow, p.course_id, track, p.label), twin.state, missing)
            if final is not None:
                self.changes.append((twin, track, missing, note))
                detail = "、".join(o.summary() for o in missing)
                self.result.add(Step(s.line, who, p.label, plan.CHANGED, final, detail))


def _unique_references(conn: sa.Connection, count: int) -> list[str]:
    made: list[str] = []
    while len(made) < count:
        wanted = list(dict.fromkeys(new_reference() for _ in range(count - len(made))))
        taken = set(
            conn.execute(
                sa.select(applications.c.reference).where(applications.c.reference.in_(wanted))
            ).scalars()
        )
        made.extend(r for r in wanted if r not in taken and r not in made)
    return made


def _store_new(
    conn: sa.Connection, planner: _Planner, *, catalogue: Catalogue, cipher: IdentityCipher,
    by: Actor, now: datetime,
) -> None:  # fmt: skip
    """Insert the new applications a thousand at a time, with their history and outcomes."""
    for start in range(0, len(planner.new), CHUNK):
        chunk = planner.new[start : start + CHUNK]
        rows: list[dict[str, Any]] = []
        for (s, p, state, _found), reference in zip(
            chunk, _unique_references(conn, len(chunk)), strict=True
        ):
            row = stored_row(
                _new_application(s, p, catalogue=catalogue, by=by, now=now), cipher=cipher
            )
            row.update(
                reference=reference, state=state, waitlisted=False, created_at=now, updated_at=now
            )
            rows.append(row)
        insert = applications.insert().returning(applications.c.id, sort_by_parameter_order=True)
        ids = list(conn.execute(insert, rows).scalars())
        events, facts = [], []
        for app_id, (s, _p, state, found) in zip(ids, chunk, strict=True):
            note = f"批量导入 {planner.file} 第 {s.line} 行"
            summary = "、".join(o.summary() for o in found if o.kind != "enrolment")
            events.append({"application_id": app_id, "at": now, "actor": by.name, "from_state": None,
                           "to_state": state, "note": f"{note};{summary}" if summary else note})  # fmt: skip
            for o in found:
                facts.append({
                    "application_id": app_id, "kind": o.kind, "happened_on": o.happened_on,
                    "occupation": o.occupation, "level": o.level, "cert_number": o.cert_number,
                    "employer": o.employer, "contract_months": o.contract_months,
                    "found_via": o.found_via or None, "contract_open_ended": o.open_ended,
                    "business_name": o.business_name, "jobs_created": o.jobs_created, "note": "",
                    "recorded_by": by.name, "recorded_at": now,
                })  # fmt: skip
        conn.execute(application_events.insert(), events)
        if facts:
            conn.execute(outcomes.insert(), facts)
    planner.new.clear()


def import_signups(
    store: Store,
    *,
    file: str,
    data: bytes,
    catalogue: Catalogue,
    cipher: IdentityCipher,
    unit_id: str | None,
    by: Actor,
    today: date,
    dry_run: bool = False,
    applied_only: bool = False,
) -> ImportPlan:
    """Check a sign-up file whole and store it (unless `dry_run`); raise ImportRefused with every problem.

    The file is read twice and never held whole: first every row is checked on its own (and
    the people in it gathered), then, in one transaction, each row is matched against the store
    and stored a thousand at a time while no problem has been found; any problem, however late,
    rolls the whole import back.
    """
    table = read_table(name=file, data=data)
    problems: list[Problem] = []
    first_line: dict[str, int] = {}
    for row in table.rows:
        read = read_signup(row, file=file, catalogue=catalogue, today=today, unit=unit_id)
        if not isinstance(read, SignUp):
            problems.extend(read.problems)
            continue
        earlier = first_line.setdefault(read.resident.number, row.line)
        if earlier != row.line:
            problems.append(
                Problem(file, row.line, "身份证号", f"与第 {earlier} 行是同一个人,请合并成一行")
            )
    problems.extend(table.problems)
    now = datetime.now(UTC)
    result = ImportPlan("signups", file, plan.sha256_of(data), table.count, unit_id, dry_run,
                        unused_columns=tuple(c for c in table.columns if c not in KNOWN))  # fmt: skip
    planner = _Planner(result=result, catalogue=catalogue, cipher=cipher, today=today,
                       scope=catalogue.units_reporting_to(unit_id), applied_only=applied_only)  # fmt: skip

    def run(conn: sa.Connection) -> None:
        people = {number: cipher.keyed_hash(number) for number in first_line}
        stored = applying.stored_for(conn, id_hashes=people.values())
        ids = [r.id for rows in stored.values() for r in rows]
        recorded = applying.outcomes_for(conn, application_ids=ids)
        for row in read_table(name=file, data=data).rows:
            read = read_signup(row, file=file, catalogue=catalogue, today=today, unit=unit_id)
            if not isinstance(read, SignUp) or first_line[read.resident.number] != row.line:
                continue  # its problems were found on the first reading
            planner.add(read, stored.get(people[read.resident.number], []), recorded)
            if not dry_run and not problems and not planner.problems and len(planner.new) >= CHUNK:
                _store_new(conn, planner, catalogue=catalogue, cipher=cipher, by=by, now=now)
        if problems or planner.problems:
            raise ImportRefused(problems + planner.problems)
        if dry_run:
            return
        _store_new(conn, planner, catalogue=catalogue, cipher=cipher, by=by, now=now)
        for twin, track, missing, note in planner.changes:
            applying.record_all(conn, application_id=twin.id, track=track, state=twin.state,
                                found=missing, actor=by.name, note=note, at=now)  # fmt: skip
        plan.record(conn, result, by=by)

    with store.read() if dry_run else store.write() as conn:
        run(conn)
    return result
