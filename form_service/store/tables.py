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


def _owned_by(parent: str, *, column: str, primary_key: bool = False) -> sa.Column[int]:
    """Return a reference to `parent.id` whose rows go when the parent's row goes."""
    reference = sa.ForeignKey(f"{parent}.id", ondelete="CASCADE")
    return sa.Column(column, sa.Integer, reference, nullable=False, primary_key=primary_key)


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
    # How it came in (issue 12): 网上, or entered by staff at the 窗口, at a 招聘会现场, or by
    # 批量导入; who entered it; for paper consent, the day it was signed and where it is kept.
    sa.Column("channel", sa.String(10), nullable=False, server_default="网上"),
    sa.Column("entered_by", sa.String(80)),
    sa.Column("paper_consent_on", sa.Date),
    sa.Column("paper_consent_kept", sa.String(100)),
    # The job fair whose page a 求职登记 was made from (issue 13); staff count sign-ups per fair.
    sa.Column("fair_id", sa.String(80)),
    sa.CheckConstraint(
        "flow IN ('training', 'entrepreneurship', 'housekeeping', 'jobseeker')",
        name="ck_applications_flow",
    ),
    sa.Index("ix_applications_unit_created", "unit_id", "created_at"),
    sa.Index("ix_applications_course", "course_id", "waitlisted"),
    sa.Index("ix_applications_id_number_hash", "id_number_hash"),
    sa.Index("ix_applications_fair", "fair_id"),
)

application_events = sa.Table(
    "application_events",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owned_by("applications", column="application_id"),
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

staff_users = sa.Table(
    "staff_users",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("username", sa.String(40), nullable=False),
    sa.Column("password_hash", sa.Text, nullable=False),
    sa.Column("role", sa.String(10), nullable=False),
    sa.Column("unit_id", sa.String(80)),
    sa.Column("disabled_at", UTCDateTime),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("password_changed_at", UTCDateTime, nullable=False),
    sa.UniqueConstraint("username", name="uq_staff_users_username"),
)

staff_sessions = sa.Table(
    "staff_sessions",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("token_hash", sa.String(64), nullable=False),
    _owned_by("staff_users", column="user_id"),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("last_seen_at", UTCDateTime, nullable=False),
    sa.Column("ended_at", UTCDateTime),
    sa.Column("end_reason", sa.String(20), nullable=False, default=""),
    # How the sign-in was completed beyond the password: totp, recovery, enrolled, or "".
    sa.Column("second_factor", sa.String(10), nullable=False, default=""),
    sa.UniqueConstraint("token_hash", name="uq_staff_sessions_token_hash"),
    sa.Index("ix_staff_sessions_user", "user_id"),
)

# A staff account's TOTP secret (Fernet-encrypted); confirmed_at is NULL until the first code
# proves the authenticator holds it. last_step is the newest accepted time-step (single use).
staff_second_factors = sa.Table(
    "staff_second_factors",
    metadata,
    _owned_by("staff_users", column="user_id", primary_key=True),
    sa.Column("secret_encrypted", sa.Text, nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("confirmed_at", UTCDateTime),
    sa.Column("last_step", sa.Integer),
)

# One-time recovery codes, kept only as keyed hashes.
staff_recovery_codes = sa.Table(
    "staff_recovery_codes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owned_by("staff_users", column="user_id"),
    sa.Column("code_hash", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime, nullable=False),
    sa.Column("used_at", UTCDateTime),
    sa.UniqueConstraint("user_id", "code_hash", name="uq_staff_recovery_codes_user_code"),
)

audit_log = sa.Table(
    "audit_log",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("unit_id", sa.String(80)),
    sa.Column("target", sa.String(120), nullable=False, default=""),
    sa.Column("detail", sa.JSON, nullable=False),
    sa.Column("ip", sa.String(64), nullable=False, default=""),
    sa.Index("ix_audit_log_at", "at"),
    sa.Index("ix_audit_log_action", "action", "at"),
)

outcomes = sa.Table(
    "outcomes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    _owned_by("applications", column="application_id"),
    sa.Column("kind", sa.String(20), nullable=False),
    sa.Column("happened_on", sa.Date, nullable=False),
    sa.Column("occupation", sa.String(40), nullable=False, default=""),
    sa.Column("level", sa.String(20), nullable=False, default=""),
    sa.Column("cert_number", sa.String(60), nullable=False, default=""),
    sa.Column("employer", sa.String(100), nullable=False, default=""),
    sa.Column("contract_months", sa.Integer),
    # How a job came about (工会职业介绍 …; outcomes.EMPLOYMENT_ROUTES) and an open-ended contract.
    sa.Column("found_via", sa.String(20)),
    sa.Column("contract_open_ended", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("business_name", sa.String(100), nullable=False, default=""),
    sa.Column("jobs_created", sa.Integer),
    sa.Column("note", sa.Text, nullable=False, default=""),
    sa.Column("recorded_by", sa.String(80), nullable=False),
    sa.Column("recorded_at", UTCDateTime, nullable=False),
    sa.Index("ix_outcomes_kind_date", "kind", "happened_on"),
    sa.Index("ix_outcomes_application", "application_id"),
)

job_fair_results = sa.Table(
    "job_fair_results",
    metadata,
    sa.Column("fair_id", sa.String(80), primary_key=True),
    sa.Column("unit_id", sa.String(80), nullable=False),
    sa.Column("employers", sa.Integer, nullable=False),
    sa.Column("posts", sa.Integer, nullable=False),
    sa.Column("visitors", sa.Integer, nullable=False),
    sa.Column("intentions", sa.Integer, nullable=False),
    sa.Column("hires", sa.Integer, nullable=False),
    sa.Column("entered_by", sa.String(80), nullable=False),
    sa.Column("entered_at", UTCDateTime, nullable=False),
)

# Every save of the content console (issue 11): who, when, which file, the file before and after.
content_changes = sa.Table(
    "content_changes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("unit_id", sa.String(80)),
    sa.Column("collection", sa.String(20), nullable=False),
    sa.Column("record_id", sa.String(80), nullable=False),
    sa.Column("path", sa.String(200), nullable=False),
    sa.Column("action", sa.String(20), nullable=False),
    sa.Column("changed", sa.JSON, nullable=False),
    sa.Column("before_version", sa.String(20), nullable=False),
    sa.Column("after_version", sa.String(20), nullable=False),
    sa.Column("before_text", sa.Text, nullable=False),
    sa.Column("after_text", sa.Text, nullable=False),
    sa.Column("note", sa.Text, nullable=False),
    sa.Index("ix_content_changes_record", "collection", "record_id", "id"),
)

# Every publish from the console or `portal build`: the build and the last save it includes.
content_publishes = sa.Table(
    "content_publishes",
    metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("at", UTCDateTime, nullable=False),
    sa.Column("actor", sa.String(80), nullable=False),
    sa.Column("build_id", sa.String(40), nullable=False),
    sa.Column("last_change_id", sa.Integer),
)
