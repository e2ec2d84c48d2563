"""The tables of the store (SQLAlchemy Core). Migrations in `migrations/` create them."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa

metadata = sa.MetaData()


class UTCDateTime(sa.TypeDecorator[datetime]):
    """A timezone-aware datetime stored as UTC (SQLite keeps no offset, so we add it back)."""

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; give a timezone")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


FLOWS = ("training", "entrepreneurship", "housekeeping", "jobseeker")

applications = sa.Table(
    "applications",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("reference", sa.String(8), nullable=False, unique=True),
    sa.Column("flow", sa.String(20), nullable=False),
    sa.Column("course_id", sa.String(80)),
    sa.Column("unit_id", sa.String(80), nullable=False),
    sa.Column("state", sa.String(20), nullable=False),
    sa.Column("waitlisted", sa.Boolean, nullable=False, default=False),
    sa.Column("name", sa.String(50), nullable=False),
    sa.Column("id_number_encrypted", sa.Text, nullable=False),
    sa.Column("id_number_hash", sa.String(64), nullable=False),
    sa.Column("id_last4", sa.String(4), nullable=False),
    sa.Column("phone_encrypted", sa.Text, nullable=False),
    sa.Column("phone_hash", sa.String(64), nullable=False),
    sa.Column("phone_last4", sa.String(4), nullable=False),
    sa.Column("gender", sa.String(2), nullable=False),
    sa.Column("birth_date", sa.Date, nullable=False),
    sa.Column("household_place", sa.String(10), nullable=False),
    sa.Column("household_type", sa.String(10), nullable=False),
    sa.Column("target_groups", sa.JSON, nullable=False),
    sa.Column("education", sa.String(20), nullable=False),
    sa.Column("employment_status", sa.String(20), nullable=False),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("consent_version", sa.String(40), nullable=False),
    sa.Column("consent_at", UTCDateTime, nullable=False),
    sa.Column("idempotency_key", sa.String(64), nullable=False, unique=True),
    # flow, course and keyed ID hash; staff set it to NULL to let a person apply again.
    sa.Column("dedupe_key", sa.String(200), unique=True),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("updated_at", UTCDateTime, nullable=False),
    sa.Column("is_demo", sa.Boolean, nullable=False, default=False),
    sa.CheckConstraint(
        "flow IN ('training', 'entrepreneurship', 'housekeeping', 'jobseeker')",
        name="ck_applications_flow",
    ),
    sa.Index("ix_applications_unit_created", "unit_id", "created_at"),
    sa.Index("ix_applications_course", "course_id", "waitlisted"),
    sa.Index("ix_applications_id_number_hash", "id_number_hash"),
)

application_events = sa.Table(
    "application_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "application_id",
        sa.Integer,
        sa.ForeignKey("applications.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("from_state", sa.String(20)),
    sa.Column("to_state", sa.String(20), nullable=False),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Index("ix_application_events_application", "application_id", "at"),
)

# One row per course that has had a sign-up: updating it serialises the seat count of that
# course on PostgreSQL (SQLite already serialises every writer).
course_seats = sa.Table(
    "course_seats",
    metadata,
    sa.Column("course_id", sa.String(80), primary_key=True),
    sa.Column("sign_ups", sa.Integer, nullable=False, default=0),
)
