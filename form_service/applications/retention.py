"""Retention: closed applications are anonymised RETENTION_YEARS (3) years after their year ends.

The privacy notice promises it: the programme runs by calendar year and every application of a
year is closed when that year ends (its statistics have been reported), so an application made
in 2011 is anonymised on the first purge after 2014-12-31. `portal purge --dry-run` lists what
would go; `portal purge` does it (run it from cron, e.g. monthly).

Anonymising keeps what the statistics need (unit, flow, course, states, dates, target groups,
levels, contract months, the birth year) and removes what identifies a person: name, ID and
phone numbers (cipher texts, hashes, last digits), free-form answers, employers, certificate
numbers, business names and staff notes. The keyed ID hash is replaced by a fresh random
pseudonym per person, so counts of distinct people stay right within a purge.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.store.tables import application_events, applications, outcomes
from site_builder.catalog import vocabulary
from site_builder.catalog.clock import SHANGHAI

# One number, defined with the content vocabulary so the site's privacy page uses it too.
RETENTION_YEARS = vocabulary.RETENTION_YEARS
ANONYMISED = "已匿名"


@dataclass(frozen=True)
class Due:
    id: int
    reference: str
    unit_id: str
    year: int
    state: str


def purge_after(year: int) -> date:
    """Return the last day an application of programme `year` is kept in full."""
    return date(year + RETENTION_YEARS, 12, 31)


def due(conn: sa.Connection, *, today: date) -> list[Due]:
    """Return the applications whose retention ended before `today` (not yet anonymised)."""
    # Year Y is kept through purge_after(Y) = Y+3-12-31, so Y is due once today.year > Y + 3.
    first_kept = today.year - RETENTION_YEARS
    # Programme years are Shanghai calendar years; created_at is UTC.
    boundary = datetime(first_kept, 1, 1, tzinfo=SHANGHAI)
    a = applications.c
    rows = conn.execute(
        sa.select(a.id, a.reference, a.unit_id, a.created_at, a.state)
        .where(a.created_at < boundary, a.name != ANONYMISED)
        .order_by(a.id)
    )
    return [
        Due(r.id, r.reference, r.unit_id, r.created_at.astimezone(SHANGHAI).year, r.state)
        for r in rows
    ]


def anonymise(conn: sa.Connection, *, ids: list[int]) -> int:
    """Anonymise these applications (and their outcomes and notes); return how many."""
    a = applications.c
    pseudonyms: dict[str, str] = {}
    rows = conn.execute(sa.select(a.id, a.id_number_hash, a.birth_date).where(a.id.in_(ids)))
    now = datetime.now(UTC)
    count = 0
    for row in rows.all():
        pseudonym = pseudonyms.setdefault(row.id_number_hash, "anon-" + secrets.token_hex(16))
        conn.execute(
            applications.update()
            .where(a.id == row.id)
            .values(
                name=ANONYMISED,
                id_number_encrypted="",
                id_number_hash=pseudonym,
                id_last4="",
                phone_encrypted="",
                phone_hash="",
                phone_last4="",
                details={},
                dedupe_key=None,
                birth_date=date(row.birth_date.year, 1, 1),
                updated_at=now,
            )
        )
        count += 1
    if ids:
        conn.execute(
            outcomes.update()
            .where(outcomes.c.application_id.in_(ids))
            .values(employer="", cert_number="", business_name="", note="")
        )
        conn.execute(
            application_events.update()
            .where(application_events.c.application_id.in_(ids))
            .values(note="")
        )
    return count


def purge(conn: sa.Connection, *, today: date, by: Actor) -> int:
    """Anonymise every application past its retention period, audit it, and return how many."""
    done = anonymise(conn, ids=[d.id for d in due(conn, today=today)])
    audit.record(
        conn, by=Actor(by.name), action="purge", detail={"count": done, "today": today.isoformat()}
    )
    return done
