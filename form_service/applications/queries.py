"""Reading applications for the staff console, always inside the reader's scope.

`scope` is the set of routed unit ids a person may see (None: every unit, for 市总工会). An
application outside the scope is never returned: to its reader it does not exist (404).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import lru_cache

import sqlalchemy as sa

from form_service.store.tables import application_events, applications
from site_builder.catalog.clock import SHANGHAI

PER_PAGE = 50


@dataclass(frozen=True)
class Filters:
    """What the list is narrowed to; every value has been checked against its closed list."""

    flow: str = ""
    course_id: str = ""
    state: str = ""
    target_group: str = ""
    unit_ids: frozenset[str] | None = None
    created_from: date | None = None
    created_to: date | None = None
    name: str = ""
    reference: str = ""
    fair_id: str = ""


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=SHANGHAI)


def _escape_like(value: str) -> str:
    return value.replace("!", "!!").replace("%", "!%").replace("_", "!_")


def _where(scope: frozenset[str] | None, filters: Filters) -> list[sa.ColumnElement[bool]]:
    a = applications.c
    clauses: list[sa.ColumnElement[bool]] = []
    if scope is not None:
        clauses.append(a.unit_id.in_(sorted(scope)))
    if filters.unit_ids is not None:
        clauses.append(a.unit_id.in_(sorted(filters.unit_ids)))
    if filters.flow:
        clauses.append(a.flow == filters.flow)
    if filters.course_id:
        clauses.append(a.course_id == filters.course_id)
    if filters.state:
        clauses.append(a.state == filters.state)
    if filters.target_group:
        # JSON lists are stored as text by json.dumps on both databases (PostgreSQL `json`
        # keeps the text as given), so the quoted, escaped group name is a portable match.
        pattern = "%" + _escape_like(json.dumps(filters.target_group)) + "%"
        clauses.append(sa.cast(a.target_groups, sa.Text).like(pattern, escape="!"))
    if filters.created_from:
        clauses.append(a.created_at >= _start_of(filters.created_from))
    if filters.created_to:
        clauses.append(a.created_at < _start_of(filters.created_to + timedelta(days=1)))
    if filters.name:
        clauses.append(a.name.like("%" + _escape_like(filters.name) + "%", escape="!"))
    if filters.reference:
        clauses.append(a.reference == filters.reference)
    if filters.fair_id:
        clauses.append(a.fair_id == filters.fair_id)
    return clauses


LIST_COLUMNS = (
    applications.c.id,
    applications.c.reference,
    applications.c.flow,
    applications.c.course_id,
    applications.c.unit_id,
    applications.c.state,
    applications.c.name,
    applications.c.id_number_encrypted,
    applications.c.target_groups,
    applications.c.created_at,
    applications.c.is_demo,
)


def list_applications(
    conn: sa.Connection, *, scope: frozenset[str] | None, filters: Filters, page: int = 1
) -> tuple[list[sa.Row], int]:
    """Return one page of matching applications (newest first) and how many match in all."""
    clauses = _where(scope, filters)
    total = conn.execute(
        sa.select(sa.func.count()).select_from(applications).where(*clauses)
    ).scalar_one()
    rows = conn.execute(
        sa.select(*LIST_COLUMNS)
        .where(*clauses)
        .order_by(applications.c.created_at.desc(), applications.c.id.desc())
        .limit(PER_PAGE)
        .offset((max(page, 1) - 1) * PER_PAGE)
    )
    return list(rows), int(total)


def matching_ids(
    conn: sa.Connection, *, scope: frozenset[str] | None, filters: Filters, limit: int
) -> list[int]:
    """Return the ids of the applications the list shows for `filters`, oldest first (bulk steps)."""
    query = sa.select(applications.c.id).where(*_where(scope, filters))
    return list(conn.execute(query.order_by(applications.c.id).limit(limit)).scalars())


def get_application(
    conn: sa.Connection, *, application_id: int, scope: frozenset[str] | None
) -> sa.Row | None:
    """Return one application if it exists inside `scope`, else None."""
    clauses = [applications.c.id == application_id]
    if scope is not None:
        clauses.append(applications.c.unit_id.in_(sorted(scope)))
    return conn.execute(sa.select(applications).where(*clauses)).first()


def events_of(conn: sa.Connection, *, application_id: int) -> list[sa.Row]:
    """Return the history of one application, oldest first."""
    return rows_of_application(
        conn, application_events, application_id=application_id, dated_by="at"
    )


def rows_of_application(
    conn: sa.Connection, table: sa.Table, *, application_id: int, dated_by: str
) -> list[sa.Row]:
    """Return the rows of `table` about one application, oldest first (`dated_by`, then id)."""
    query = sa.select(table).where(table.c.application_id == application_id)
    return list(conn.execute(query.order_by(table.c[dated_by], table.c.id)))


def count_by_state(conn: sa.Connection, *, scope: frozenset[str] | None) -> list[sa.Row]:
    """Return (flow, state, count) for the overview."""
    a = applications.c
    query = sa.select(a.flow, a.state, sa.func.count().label("count")).group_by(a.flow, a.state)
    if scope is not None:
        query = query.where(a.unit_id.in_(sorted(scope)))
    return list(conn.execute(query.order_by(a.flow, a.state)))


def count_by_fair(conn: sa.Connection, *, scope: frozenset[str] | None) -> dict[str, int]:
    """Return how many 求职登记 each job fair brought in (made from its page), by fair id."""
    a = applications.c
    query = sa.select(a.fair_id, sa.func.count()).where(a.fair_id.is_not(None)).group_by(a.fair_id)
    if scope is not None:
        query = query.where(a.unit_id.in_(sorted(scope)))
    return {fair_id: int(n) for fair_id, n in conn.execute(query)}


def has_demo(conn: sa.Connection, *, scope: frozenset[str] | None = None) -> bool:
    """Tell whether demo applications are in the store (so pages and files can say so)."""
    query = sa.select(applications.c.id).where(applications.c.is_demo.is_(True)).limit(1)
    if scope is not None:
        query = query.where(applications.c.unit_id.in_(sorted(scope)))
    return conn.execute(query).first() is not None


# Reading 100,000 rows, decoding the same few JSON lists and dates again and again costs more
# than the query: columns are read as text and decoded once per distinct value.
def groups_column() -> sa.ColumnElement[str]:
    return sa.cast(applications.c.target_groups, sa.Text).label("target_groups_text")


@lru_cache(maxsize=4096)
def groups_of(raw: str | None) -> tuple[str, ...]:
    """Return the target groups from their stored JSON text."""
    return tuple(json.loads(raw)) if raw else ()


def day_column(column: sa.Column[date]) -> sa.ColumnElement[str]:
    """Select a date column as its ISO text, under the column's own name."""
    return sa.cast(column, sa.String(10)).label(column.name)


@lru_cache(maxsize=8192)
def day_of(raw: str) -> date:
    """Return a date from its ISO text (both databases print dates as YYYY-MM-DD)."""
    return date.fromisoformat(raw[:10])
