"""Walk-in entry, imports and bulk steps: how an application came in.

`channel` says where it came in (网上, or staff entering it at the 窗口, at a 招聘会现场, or by
批量导入), `entered_by` who entered it, and for paper consent the day it was signed and where
the signed form is kept. Existing applications came through the web form.
"""

import sqlalchemy as sa
from alembic import op

revision, down_revision = "0005", "0004"
branch_labels = depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.add_column(sa.Column("channel", sa.String(10), nullable=False, server_default="网上"))
        batch.add_column(sa.Column("entered_by", sa.String(80)))
        batch.add_column(sa.Column("paper_consent_on", sa.Date))
        batch.add_column(sa.Column("paper_consent_kept", sa.String(100)))


def downgrade() -> None:
    with op.batch_alter_table("applications") as batch:
        batch.drop_column("paper_consent_kept")
        batch.drop_column("paper_consent_on")
        batch.drop_column("entered_by")
        batch.drop_column("channel")
