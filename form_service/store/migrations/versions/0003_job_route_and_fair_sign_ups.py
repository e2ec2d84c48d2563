"""Counting rules and fair sign-ups.

A job records how it came about and whether its contract is open-ended, so that 职业介绍 counts
only the union's placements; a 求职登记 made from a fair's page records the fair.
"""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0003", "0002"
branch_labels = depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("outcomes") as batch:
        batch.add_column(sa.Column("found_via", sa.String(20)))
        batch.add_column(
            sa.Column("contract_open_ended", sa.Boolean, nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("fair_id", sa.String(80)))
    op.create_index("ix_applications_fair", "applications", ["fair_id"])


def downgrade() -> None:
    op.drop_index("ix_applications_fair", table_name="applications")
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("fair_id")
    with op.batch_alter_table("outcomes") as batch:
        batch.drop_column("contract_open_ended")
        batch.drop_column("found_via")
