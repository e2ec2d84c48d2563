"""What the store must hold after faults, and what logs must never hold."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

from form_service.applications.submit import APPLICANT
from form_service.store import Store
from form_service.store.backup import check
from form_service.store.crypto import IdentityCipher
from form_service.store.tables import application_events, applications
from tests.support.load import Attempt
from tests.support.people import person_name, person_phone
from tests.support.servers import ID_KEY


@dataclass
class Figures:
    """Jepsen's set-test counts for one run."""

    attempted: int
    acknowledged: int
    lost: int
    indeterminate: int
    indeterminate_stored: int
    refused: int
    stored: int
    integrity: str

    def line(self, label: str) -> str:
        return (
            f"{label}: {self.attempted} submissions, {self.acknowledged} acknowledged, "
            f"{self.lost} lost, {self.indeterminate} indeterminate "
            f"({self.indeterminate_stored} stored whole, the rest absent), "
            f"{self.refused} refused, {self.stored} rows, integrity {self.integrity}"
        )


def _whole(row: sa.Row, events: int, attempt: Attempt, cipher: IdentityCipher) -> list[str]:
    """Return what is wrong with the stored row of `attempt` (empty when it is intact)."""
    sent = dict(attempt.fields)
    problems = []
    expected = {
        "name": person_name(attempt.n),
        "id_number": attempt.id_number,
        "phone": person_phone(attempt.n),
        "course_id": sent["course_id"],
        "flow": "training",
        "household_place": sent["household_place"],
        "target_groups": ["农民工"],
        "class_times": ["工作日晚上", "双休日"],
        "events": 1,
    }
    found = {
        "name": row.name,
        "id_number": cipher.decrypt(row.id_number_encrypted),
        "phone": cipher.decrypt(row.phone_encrypted),
        "course_id": row.course_id,
        "flow": row.flow,
        "household_place": row.household_place,
        "target_groups": row.target_groups,
        "class_times": row.details.get("class_times"),
        "events": events,
    }
    if found != expected:
        problems.append(f"{attempt.key}: stored {found} != sent {expected}")
    if attempt.reference is not None and attempt.reference != row.reference:
        problems.append(f"{attempt.key}: reference shown {attempt.reference} != {row.reference}")
    return problems


def verify(url: str, attempts: list[Attempt]) -> tuple[Figures, list[str]]:
    """Compare the store with what the clients were told; return the figures and every problem."""
    cipher = IdentityCipher(ID_KEY)
    store = Store(url)
    try:
        with store.read() as conn:
            rows = {r.idempotency_key: r for r in conn.execute(sa.select(applications))}
            # The application and its first history entry are written in one transaction.
            created = sa.select(application_events.c.application_id).where(
                application_events.c.actor == APPLICANT
            )
            per_application = Counter(conn.execute(created).scalars())
    finally:
        store.dispose()
    problems = []
    tried = {a.key: a for a in attempts}
    for attempt in attempts:
        row = rows.get(attempt.key)
        if attempt.outcome == "ok" and row is None:
            problems.append(f"lost: {attempt.key} was acknowledged ({attempt.reference})")
        elif attempt.outcome == "fail" and row is not None:
            problems.append(f"stored although refused with {attempt.status}: {attempt.key}")
        elif row is not None:
            problems += _whole(row, per_application[row.id], attempt, cipher)
    unexpected = sorted(set(rows) - {k for k, a in tried.items() if a.outcome in ("ok", "info")})
    problems += [f"stored but never acknowledged or attempted: {key}" for key in unexpected]
    state = check(url=url)
    if state.integrity != "ok":
        problems.append(f"integrity check: {state.integrity}")
    outcomes = Counter(a.outcome for a in attempts)
    figures = Figures(
        attempted=len(attempts),
        acknowledged=outcomes["ok"],
        lost=sum(1 for a in attempts if a.outcome == "ok" and a.key not in rows),
        indeterminate=outcomes["info"],
        indeterminate_stored=sum(1 for a in attempts if a.outcome == "info" and a.key in rows),
        refused=outcomes["fail"],
        stored=len(rows),
        integrity=state.integrity,
    )
    if outcomes["pending"]:
        problems.append(f"{outcomes['pending']} submissions never finished on the client")
    return figures, problems


def personal_patterns(attempts: list[Attempt], *extra: str) -> list[str]:
    """The ID numbers, phone numbers and names the clients sent: none may reach a log."""
    values = set(extra)
    for attempt in attempts:
        values |= {attempt.id_number, person_phone(attempt.n), person_name(attempt.n)}
    return sorted(values)


def leaks(paths: list[Path], values: list[str]) -> list[str]:
    """Return every line of the log files that holds one of `values` (or a bare ID number)."""
    pattern = re.compile("|".join(re.escape(v) for v in sorted(values, key=len, reverse=True)))
    # Bounded by anything but letters and digits: a run of digits inside a SHA-256 in the audit
    # record of an export is not an ID number.
    bare_id = re.compile(r"(?<![0-9A-Za-z])[1-9][0-9]{16}[0-9X](?![0-9A-Za-z])")
    found = []
    for path in paths:
        if not path.exists():
            continue
        for number, line in enumerate(path.read_text("utf-8", errors="replace").splitlines(), 1):
            if (values and pattern.search(line)) or bare_id.search(line):
                found.append(f"{path.name}:{number}: {line[:200]}")
    return found
