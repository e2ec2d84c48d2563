"""Applications, their history and the per-course seat lock."""

import sqlalchemy as sa
from alembic import op

from form_service.store.migrations.columns import owned_by
from form_service.store.tables import UTCDateTime

revision, down_revision = "0001", None
branch_labels = depends_on = None


def upgrade() -> None:
    op.create_table(
        "applications",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("reference", sa.String(8), nullable=False),
        sa.Column("flow", sa.String(20), nullable=False),
        sa.Column("course_id", sa.String(80)),
        sa.Column("unit_id", sa.String(80), nullable=False),
        sa.Column("state", sa.String(20), nullable=False),
        sa.Column("waitlisted", sa.Boolean, nullable=False),
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
        sa.Column("idempotency_key", sa.String(64), nullable=False),
        sa.Column("dedupe_key", sa.String(200)),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("updated_at", UTCDateTime, nullable=False),
        sa.Column("is_demo", sa.Boolean, nullable=False),
        sa.UniqueConstraint("reference", name="uq_applications_reference"),
        sa.UniqueConstraint("idempotency_key", name="uq_applications_idempotency_key"),
        sa.UniqueConstraint("dedupe_key", name="uq_applications_dedupe_key"),
        sa.CheckConstraint(
            "flow IN ('training', 'entrepreneurship', 'housekeeping', 'jobseeker')",
            name="ck_applications_flow",
        ),
    )
    op.create_index("ix_applications_unit_created", "applications", ["unit_id", "created_at"])
    op.create_index("ix_applications_course", "applications", ["course_id", "waitlisted"])
    op.create_index("ix_applications_id_number_hash", "applications", ["id_number_hash"])
    op.create_table(
        "application_events",
        sa.Column("id", sa.Integer, primary_key=True),
        owned_by("applications", column="application_id"),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("from_state", sa.String(20)),
        sa.Column("to_state", sa.String(20), nullable=False),
        sa.Column("note", sa.Text, nullable=False),
    )
    op.create_index(
        "ix_application_events_application", "application_events", ["application_id", "at"]
    )
    op.create_table(
        "course_seats",
        sa.Column("course_id", sa.String(80), primary_key=True),
        sa.Column("sign_ups", sa.Integer, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("course_seats")
    op.drop_index("ix_application_events_application", table_name="application_events")
    op.drop_table("application_events")
    op.drop_index("ix_applications_id_number_hash", table_name="applications")
    op.drop_index("ix_applications_course", table_name="applications")
    op.drop_index("ix_applications_unit_created", table_name="applications")
    op.drop_table("applications")
