"""Staff second factor and recovery codes.

A TOTP secret per staff account (encrypted), its one-time recovery codes (keyed hashes), and on
each session how the sign-in got past the password, so production can refuse a session that
never gave a second factor.
"""

import sqlalchemy as sa
from alembic import op

from form_service.store.migrations.columns import owned_by
from form_service.store.tables import UTCDateTime

revision, down_revision = "0004", "0003"
branch_labels = depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("staff_sessions") as batch:
        batch.add_column(
            sa.Column("second_factor", sa.String(10), nullable=False, server_default="")
        )
    op.create_table(
        "staff_second_factors",
        owned_by("staff_users", column="user_id", primary_key=True),
        sa.Column("secret_encrypted", sa.Text, nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("confirmed_at", UTCDateTime),
        sa.Column("last_step", sa.Integer),
    )
    op.create_table(
        "staff_recovery_codes",
        sa.Column("id", sa.Integer, primary_key=True),
        owned_by("staff_users", column="user_id"),
        sa.Column("code_hash", sa.String(64), nullable=False),
        sa.Column("created_at", UTCDateTime, nullable=False),
        sa.Column("used_at", UTCDateTime),
        sa.UniqueConstraint("user_id", "code_hash", name="uq_staff_recovery_codes_user_code"),
    )


def downgrade() -> None:
    op.drop_table("staff_recovery_codes")
    op.drop_table("staff_second_factors")
    with op.batch_alter_table("staff_sessions") as batch:
        batch.drop_column("second_factor")
