"""Staff accounts and sessions, outcomes, job-fair results and the append-only audit log."""

import sqlalchemy as sa
from alembic import op

from form_service.store.migrations.columns import owned_by
from form_service.store.tables import UTCDateTime

revision, down_revision = "0002", "0001"
branch_labels = depends_on = None

_APPEND_ONLY_SQLITE = """
CREATE TRIGGER audit_log_no_{verb} BEFORE {VERB} ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END
"""
_APPEND_ONLY_PG_FUNCTION = """
CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION 'audit_log is append-only'; END $$
"""
_APPEND_ONLY_PG_TRIGGER = """
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()
"""


def upgrade() -> None:
    op.create_table(
        "staff_users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(40), nullable=False),
        sa.Column("password_hash", sa.Text, nullable=False),
        sa.Column("role", sa.String(10), nullable=False),
        sa.Column("unit_id", sa.String(80)),
        sa.Column("disabled_at", UTCDateTime),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("password_changed_at", UTCDateTime, nullable=False),
        sa.UniqueConstraint("username", name="uq_staff_users_username"),
        sa.CheckConstraint("role IN ('admin', 'unit')", name="ck_staff_users_role"),
        sa.CheckConstraint(
            "(role = 'admin' AND unit_id IS NULL) OR (role = 'unit' AND unit_id IS NOT NULL)",
            name="ck_staff_users_unit",
        ),
    )
    op.create_table(
        "staff_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("token_hash", sa.String(64), nullable=False),
        owned_by("staff_users", column="user_id"),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("last_seen_at", UTCDateTime, nullable=False),
        sa.Column("ended_at", UTCDateTime),
        sa.Column("end_reason", sa.String(20), nullable=False),
        sa.UniqueConstraint("token_hash", name="uq_staff_sessions_token_hash"),
    )
    op.create_index("ix_staff_sessions_user", "staff_sessions", ["user_id"])
    op.create_table(
        "outcomes",
        sa.Column("id", sa.Integer, primary_key=True),
        owned_by("applications", column="application_id"),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("happened_on", sa.Date, nullable=False),
        sa.Column("occupation", sa.String(40), nullable=False),
        sa.Column("level", sa.String(20), nullable=False),
        sa.Column("cert_number", sa.String(60), nullable=False),
        sa.Column("employer", sa.String(100), nullable=False),
        sa.Column("contract_months", sa.Integer),
        sa.Column("business_name", sa.String(100), nullable=False),
        sa.Column("jobs_created", sa.Integer),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("recorded_by", sa.String(80), nullable=False),
        sa.Column("recorded_at", UTCDateTime, nullable=False),
        sa.CheckConstraint(
            "kind IN ('enrolment', 'completion', 'certificate', 'employment', 'business', "
            "'jobs', 'realname')",
            name="ck_outcomes_kind",
        ),
    )
    op.create_index("ix_outcomes_kind_date", "outcomes", ["kind", "happened_on"])
    op.create_index("ix_outcomes_application", "outcomes", ["application_id"])
    op.create_table(
        "job_fair_results",
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
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("unit_id", sa.String(80)),
        sa.Column("target", sa.String(120), nullable=False),
        sa.Column("detail", sa.JSON, nullable=False),
        sa.Column("ip", sa.String(64), nullable=False),
    )
    op.create_index("ix_audit_log_at", "audit_log", ["at"])
    op.create_index("ix_audit_log_action", "audit_log", ["action", "at"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_APPEND_ONLY_PG_FUNCTION)
        op.execute(_APPEND_ONLY_PG_TRIGGER)
    else:
        for verb in ("update", "delete"):
            op.execute(_APPEND_ONLY_SQLITE.format(verb=verb, VERB=verb.upper()))


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    else:
        for verb in ("update", "delete"):
            op.execute(f"DROP TRIGGER audit_log_no_{verb}")
    op.drop_index("ix_audit_log_action", table_name="audit_log")
    op.drop_index("ix_audit_log_at", table_name="audit_log")
    op.drop_table("audit_log")
    op.drop_table("job_fair_results")
    op.drop_index("ix_outcomes_application", table_name="outcomes")
    op.drop_index("ix_outcomes_kind_date", table_name="outcomes")
    op.drop_table("outcomes")
    op.drop_index("ix_staff_sessions_user", table_name="staff_sessions")
    op.drop_table("staff_sessions")
    op.drop_table("staff_users")
