"""Queries on applications: submit one exactly once, count seats, look up progress.

Functions take a Store or a Connection and keyword arguments, return plain dicts, and know
nothing about requests, so the staff console, exports and statistics reuse them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications import lifecycle
from form_service.applications.references import new_reference
from form_service.store.crypto import IdentityCipher
from form_service.store.engine import Store, StoreBusy
from form_service.store.tables import application_events, applications, course_seats

APPLICANT = "申请人"
_ATTEMPTS = 6


@dataclass(frozen=True)
class NewApplication:
    """Validated answers of one application, ready to store."""

    flow: str
    course_id: str | None
    unit_id: str
    name: str
    id_number: str
    birth_date: date
    gender: str
    phone: str
    household_place: str
    household_type: str
    target_groups: tuple[str, ...]
    education: str
    employment_status: str
    details: dict[str, Any]
    consent_version: str
    consent_at: datetime
    idempotency_key: str
    is_demo: bool = False
    fair_id: str | None = None  # the job fair whose page a 求职登记 was made from
    # Staff entering it (issue 12): the channel (CHANNELS), who, and the paper consent.
    channel: str = "网上"
    entered_by: str | None = None
    paper_consent_on: date | None = None
    paper_consent_kept: str | None = None


# How an application comes in: the applicant on the web, or staff entering it.
CHANNELS = ("网上", "窗口", "招聘会现场", "批量导入")


@dataclass(frozen=True)
class SeatRule:
    """How many seats a course still offers beyond the sign-ups stored here, and if it is open."""

    seats: int
    open: bool


@dataclass(frozen=True)
class Submission:
    """What became of a submission.

    kind: `created` (stored now), `replayed` (same form sent again: same reference),
    `duplicate` (this person already applied for this), `conflict` (the form's key was used
    for different answers).
    """

    kind: str
    reference: str
    waitlisted: bool
    same_phone: bool = True


def dedupe_key(*, flow: str, course_id: str | None, id_number_hash: str) -> str:
    return f"{flow}:{course_id or '-'}:{id_number_hash}"


# Statements are built once: building and coercing them anew costs more CPU than running them,
# and inside the write transaction that time holds SQLite's only write lock.
_HOLDS_A_SEAT = (
    applications.c.course_id == sa.bindparam("course_id"),
    applications.c.waitlisted.is_(False),
    applications.c.state.not_in(lifecycle.RELEASED),
)
_SEATS_TAKEN = sa.select(sa.func.count()).select_from(applications).where(*_HOLDS_A_SEAT)
# Counting stops at `up_to`: enough to tell whether seats are left, however long the list grows.
_SEATS_TAKEN_UP_TO = sa.select(sa.func.count()).select_from(
    sa.select(applications.c.id)
    .where(*_HOLDS_A_SEAT)
    .limit(sa.bindparam("up_to", type_=sa.Integer))
    .subquery()
)
_WAITING_LIST = (
    sa.select(sa.func.count())
    .select_from(applications)
    .where(
        applications.c.course_id == sa.bindparam("course_id"),
        applications.c.state == lifecycle.WAITLISTED,
    )
)
_EARLIER = sa.select(
    applications.c.reference,
    applications.c.waitlisted,
    applications.c.dedupe_key,
    applications.c.phone_hash,
    applications.c.idempotency_key,
).where(
    sa.or_(
        applications.c.idempotency_key == sa.bindparam("idempotency_key"),
        applications.c.dedupe_key == sa.bindparam("dedupe"),
    )
)
_INSERT_APPLICATION = applications.insert().returning(applications.c.id)
_INSERT_EVENT = application_events.insert()


def _seat_row_upsert(dialect: Any) -> sa.Executable:
    stmt = dialect.insert(course_seats).values(course_id=sa.bindparam("seat_course"), sign_ups=1)
    return stmt.on_conflict_do_update(  # type: ignore[no-any-return]
        index_elements=[course_seats.c.course_id],
        set_={"sign_ups": course_seats.c.sign_ups + 1},
    )


_LOCK_COURSE = {"postgresql": _seat_row_upsert(postgresql), "sqlite": _seat_row_upsert(sqlite)}


def seats_taken(conn: sa.Connection, *, course_id: str, up_to: int | None = None) -> int:
    """Count stored sign-ups that hold a seat of `course_id` (not waitlisted, not released).

    With `up_to`, stop counting there (the answer is `min(count, up_to)`).
    """
    if up_to is None:
        return int(conn.execute(_SEATS_TAKEN, {"course_id": course_id}).scalar_one())
    params = {"course_id": course_id, "up_to": max(0, up_to)}
    return int(conn.execute(_SEATS_TAKEN_UP_TO, params).scalar_one())


def waiting_list_length(conn: sa.Connection, *, course_id: str) -> int:
    return int(conn.execute(_WAITING_LIST, {"course_id": course_id}).scalar_one())


def _lock_course(conn: sa.Connection, course_id: str) -> None:
    """Upsert the course's seat row: its row lock serialises sign-ups for the course."""
    dialect = "postgresql" if conn.dialect.name == "postgresql" else "sqlite"
    conn.execute(_LOCK_COURSE[dialect], {"seat_course": course_id})


def _earlier(conn: sa.Connection, *, idempotency_key: str, dedupe: str) -> list[sa.Row[Any]]:
    """Return stored applications with this form's key or this person's flow and course."""
    return list(conn.execute(_EARLIER, {"idempotency_key": idempotency_key, "dedupe": dedupe}))


def submit_application(
    store: Store,
    *,
    application: NewApplication,
    cipher: IdentityCipher,
    seat_rule: SeatRule | None,
    now: datetime,
    by: Actor | None = None,
) -> Submission:
    """Store `application` once and return its reference; the commit has returned when it does.

    `by`: the member of staff entering it for the person (walk-in entry); the entry is then
    audited in the same transaction.

    Sending the same form twice (same idempotency key) gives the first reference back; the same
    person applying again for the same flow and course is refused as a duplicate. Both are
    enforced by UNIQUE constraints, so concurrent twins cannot both be stored.
    """
    id_hash = cipher.keyed_hash(application.id_number)
    phone_hash = cipher.keyed_hash(application.phone)
    key = dedupe_key(flow=application.flow, course_id=application.course_id, id_number_hash=id_hash)
    # Encrypt before the transaction: the write lock is held for as short a time as possible.
    row = _row(application, cipher=cipher, id_hash=id_hash, phone_hash=phone_hash)
    row.update(dedupe_key=key, created_at=now, updated_at=now)
    for _attempt in range(_ATTEMPTS):
        try:
            with store.write() as conn:
                found = _earlier(conn, idempotency_key=application.idempotency_key, dedupe=key)
                for twin in found:
                    if twin.idempotency_key == application.idempotency_key:
                        kind = "replayed" if twin.dedupe_key == key else "conflict"
                        return Submission(kind, twin.reference, twin.waitlisted)
                if found:
                    earlier = found[0]
                    same_phone = earlier.phone_hash == phone_hash
                    return Submission(
                        "duplicate", earlier.reference, earlier.waitlisted, same_phone
                    )
                waitlisted = False
                if application.course_id is not None and seat_rule is not None:
                    _lock_course(conn, application.course_id)
                    taken = seats_taken(
                        conn, course_id=application.course_id, up_to=seat_rule.seats
                    )
                    waitlisted = not seat_rule.open or taken >= seat_rule.seats
                reference = new_reference()
                state = lifecycle.WAITLISTED if waitlisted else lifecycle.SUBMITTED
                row.update(reference=reference, state=state, waitlisted=waitlisted)
                new_id = conn.execute(_INSERT_APPLICATION, row).scalar_one()
                conn.execute(
                    _INSERT_EVENT,
                    {
                        "application_id": new_id,
                        "at": now,
                        "actor": application.entered_by or APPLICANT,
                        "from_state": None,
                        "to_state": state,
                        "note": "" if by is None else f"{application.channel}录入",
                    },
                )
                if by is not None:
                    audit.record(
                        conn,
                        by=by,
                        action="walk_in",
                        unit_id=application.unit_id,
                        target=reference,
                        detail={"channel": application.channel},
                    )
            return Submission("created", reference, waitlisted)
        except sa.exc.IntegrityError:
            # A concurrent twin or duplicate won the race (or a reference collided): look again.
            continue
    raise StoreBusy("could not store the application after several attempts")


def stored_row(application: NewApplication, *, cipher: IdentityCipher) -> dict[str, Any]:
    """Return the columns an application is stored with (encrypted, hashed, its dedupe key).

    Imports insert many at once with these; the reference, state and times are theirs to add.
    """
    id_hash = cipher.keyed_hash(application.id_number)
    row = _row(
        application, cipher=cipher, id_hash=id_hash, phone_hash=cipher.keyed_hash(application.phone)
    )
    row["dedupe_key"] = dedupe_key(
        flow=application.flow, course_id=application.course_id, id_number_hash=id_hash
    )
    return row


def _row(
    application: NewApplication, *, cipher: IdentityCipher, id_hash: str, phone_hash: str
) -> dict[str, Any]:
    return {
        "flow": application.flow,
        "course_id": application.course_id,
        "unit_id": application.unit_id,
        "name": application.name,
        "id_number_encrypted": cipher.encrypt(application.id_number),
        "id_number_hash": id_hash,
        "id_last4": application.id_number[-4:],
        "phone_encrypted": cipher.encrypt(application.phone),
        "phone_hash": phone_hash,
        "phone_last4": application.phone[-4:],
        "gender": application.gender,
        "birth_date": application.birth_date,
        "household_place": application.household_place,
        "household_type": application.household_type,
        "target_groups": list(application.target_groups),
        "education": application.education,
        "employment_status": application.employment_status,
        "details": application.details,
        "consent_version": application.consent_version,
        "consent_at": application.consent_at,
        "idempotency_key": application.idempotency_key,
        "is_demo": application.is_demo,
        "fair_id": application.fair_id,
        "channel": application.channel,
        "entered_by": application.entered_by,
        "paper_consent_on": application.paper_consent_on,
        "paper_consent_kept": application.paper_consent_kept,
    }


# What the applicant may be told about an application: no personal data.
_PUBLIC_COLUMNS = (
    applications.c.reference,
    applications.c.flow,
    applications.c.course_id,
    applications.c.unit_id,
    applications.c.state,
    applications.c.waitlisted,
    applications.c.created_at,
    applications.c.updated_at,
)


def get_by_reference(conn: sa.Connection, *, reference: str) -> dict[str, Any] | None:
    """Return the whole stored row of `reference` (encrypted columns stay encrypted)."""
    row = conn.execute(sa.select(applications).where(applications.c.reference == reference))
    found = row.mappings().first()
    return dict(found) if found is not None else None


def progress(conn: sa.Connection, *, reference: str, phone_last4: str) -> dict[str, Any] | None:
    """Return the non-personal facts of an application if reference and phone digits match."""
    query = sa.select(*_PUBLIC_COLUMNS).where(
        applications.c.reference == reference, applications.c.phone_last4 == phone_last4
    )
    found = conn.execute(query).mappings().first()
    return dict(found) if found is not None else None


def all_references(conn: sa.Connection) -> set[str]:
    """Return every stored reference (benchmarks check acknowledged ones against it)."""
    return set(conn.execute(sa.select(applications.c.reference)).scalars())


_PUBLIC_FACTS = sa.select(*_PUBLIC_COLUMNS).where(
    applications.c.reference == sa.bindparam("reference")
)


def public_facts(conn: sa.Connection, *, reference: str) -> dict[str, Any] | None:
    """Return what a confirmation page may show about `reference`: no personal data."""
    found = conn.execute(_PUBLIC_FACTS, {"reference": reference}).mappings().first()
    return dict(found) if found is not None else None
