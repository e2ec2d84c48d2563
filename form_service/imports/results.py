"""`import_results`: 鉴定 certificates, jobs and businesses started, matched to applications.

A results file names people by ID number (姓名 and 课程编号 optional, to check and to choose),
with the register's outcome columns: 证书工种/证书等级/证书编号/发证日期, 就业单位/就业日期/
劳动合同期限(月) (months or 无固定期限)/就业途径, 创业项目/开业日期/带动就业人数, and also
结业日期 and 录入全总帮扶系统日期. Each outcome goes to the person's latest application in the
unit that can record it (a certificate to a finished course, a business to 创业培训), moving its
state as the console's outcome form does; an outcome already recorded is recognised and skipped.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any

import sqlalchemy as sa

from form_service.accounts.audit import Actor
from form_service.applications import identity
from form_service.applications import lifecycle as lc
from form_service.applications.identity import InvalidValue, mask_id_number
from form_service.applications.outcomes import Outcome
from form_service.imports import applying, plan
from form_service.imports.cells import Cells, outcomes_of, same_outcome
from form_service.imports.plan import ImportPlan, Step
from form_service.imports.problems import ImportRefused, Problem
from form_service.imports.reading import Row, read_table
from form_service.imports.signups import project_label
from form_service.reports.register import FIELDS
from form_service.store.crypto import IdentityCipher
from form_service.store.engine import Store
from site_builder.catalog import Catalogue

KNOWN = frozenset(FIELDS) | {"课程编号", "发证日期", "就业途径"}


@dataclass
class _Application:
    row: sa.Row
    track: str
    state: str
    label: str
    recorded: list[Any]  # stored outcome rows and outcomes placed by this file
    new: list[Outcome] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class _Matcher:
    def __init__(
        self, *, result: ImportPlan, catalogue: Catalogue, scope: frozenset[str] | None
    ) -> None:
        self.result, self.catalogue, self.scope = result, catalogue, scope
        self.problems: list[Problem] = []
        self.touched: dict[int, _Application] = {}

    def candidates(
        self, stored: list[sa.Row], recorded: dict[int, list[sa.Row]]
    ) -> list[_Application]:
        found = []
        for row in stored:
            if (
                self.scope is not None and row.unit_id not in self.scope
            ) or row.state in lc.NOT_SERVED:
                continue
            if row.id not in self.touched:
                course = self.catalogue.courses.get(row.course_id or "")
                track = lc.track_of(
                    flow=row.flow, course_id=row.course_id, catalogue=self.catalogue
                )
                label = project_label(track=track, title=course.title if course else None)
                self.touched[row.id] = _Application(
                    row, track, row.state, label, list(recorded.get(row.id, []))
                )
            found.append(self.touched[row.id])
        return found

    def place(self, cells: Cells, who: str, apps: list[_Application], outcome: Outcome) -> None:
        for app in apps:
            if any(
                same_outcome(r, outcome) or outcome.kind == r.kind == "realname"
                for r in app.recorded
            ):
                self.result.add(
                    Step(cells.row.line, who, app.label, plan.SKIPPED, app.state, outcome.summary())
                )
                return
        allowed = [
            a for a in apps if applying.advance(track=a.track, state=a.state, outcome=outcome)
        ]
        if not allowed:
            last = apps[-1]
            cells.fail(
                "身份证号", applying.refusal(track=last.track, state=last.state, outcome=outcome)
            )
            return
        app = allowed[-1]
        app.state = applying.advance(track=app.track, state=app.state, outcome=outcome) or app.state
        app.new.append(outcome)
        app.notes.append(f"第 {cells.row.line} 行")
        app.recorded.append(outcome)
        self.result.add(
            Step(cells.row.line, who, app.label, plan.ADDED, app.state, outcome.summary())
        )


def _read(row: Row, *, file: str, today: date) -> tuple[Cells, str, list[Outcome]]:
    cells = Cells(file, row, today)
    number = ""
    try:
        number = identity.parse_id_number(row.get("身份证号"), today=today).number
    except InvalidValue as exc:
        cells.fail("身份证号", exc.message)
    found = outcomes_of(cells)
    if number and not found and not cells.problems:
        cells.fail("身份证号", "这一行没有填写任何结果(证书、就业、创业、结业或录入日期)")
    return cells, number, found


def import_results(
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
) -> ImportPlan:
    """Check a results file whole and record it (unless `dry_run`); raise ImportRefused with every problem."""
    table = read_table(name=file, data=data)
    read = [_read(row, file=file, today=today) for row in table.rows]
    problems = list(table.problems)
    result = ImportPlan("results", file, plan.sha256_of(data), table.count, unit_id, dry_run,
                        unused_columns=tuple(c for c in table.columns if c not in KNOWN))  # fmt: skip
    matcher = _Matcher(
        result=result, catalogue=catalogue, scope=catalogue.units_reporting_to(unit_id)
    )
    now = datetime.now(UTC)

    def run(conn: sa.Connection) -> None:
        hashes = {number: cipher.keyed_hash(number) for _c, number, _f in read if number}
        stored = applying.stored_for(conn, id_hashes=hashes.values())
        recorded = applying.outcomes_for(
            conn, application_ids=[r.id for rows in stored.values() for r in rows]
        )
        for cells, number, found in read:
            if cells.problems or not number:
                problems.extend(cells.problems)
                continue
            apps = matcher.candidates(stored.get(hashes[number], []), recorded)
            course_id = cells.row.get("课程编号").strip()
            if course_id:
                apps = [a for a in apps if a.row.course_id == course_id]
            name = cells.row.get("姓名").strip()
            if not apps:
                where = f"课程“{course_id}”" if course_id else "本单位"
                cells.fail("身份证号", f"{where}没有此人的申请,请核对身份证号,或先导入报名名单")
            elif name and name != apps[-1].row.name:
                cells.fail(
                    "姓名", f"与身份证号对应的申请不一致(申请上的姓名是 {apps[-1].row.name})"
                )
            else:
                who = f"{apps[-1].row.name} {mask_id_number(number)}"
                for outcome in found:
                    matcher.place(cells, who, apps, outcome)
            problems.extend(cells.problems)
        if problems:
            raise ImportRefused(problems)
        if dry_run:
            return
        for app in matcher.touched.values():
            if app.new:
                applying.record_all(conn, application_id=app.row.id, track=app.track, state=app.row.state,
                                    found=app.new, actor=by.name, at=now,
                                    note=f"批量导入 {file} " + "、".join(app.notes))  # fmt: skip
        plan.record(conn, result, by=by)

    with store.read() if dry_run else store.write() as conn:
        run(conn)
    return result
