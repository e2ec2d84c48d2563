"""Content console: the history of every save, and the publishes."""

import sqlalchemy as sa
from alembic import op

from form_service.store.tables import UTCDateTime

revision, down_revision = "0006", "0005"
branch_labels = depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_changes",
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
    )
    op.create_index(
        "ix_content_changes_record", "content_changes", ["collection", "record_id", "id"]
    )
    op.create_table(
        "content_publishes",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", UTCDateTime, nullable=False),
        sa.Column("actor", sa.String(80), nullable=False),
        sa.Column("build_id", sa.String(40), nullable=False),
        sa.Column("last_change_id", sa.Integer),
    )


def downgrade() -> None:
    op.drop_table("content_publishes")
    op.drop_index("ix_content_changes_record", table_name="content_changes")
    op.drop_table("content_changes")
