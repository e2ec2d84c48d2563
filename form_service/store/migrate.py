"""Create or migrate the store with Alembic, configured in code (no alembic.ini)."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from form_service.store.engine import Store

MIGRATIONS = Path(__file__).resolve().parent / "migrations"


def alembic_config(connection: sa.Connection | None = None) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def upgrade(store: Store, *, revision: str = "head") -> None:
    """Bring the store up to `revision` (default: the newest)."""
    with store.write() as conn:
        command.upgrade(alembic_config(conn), revision)


def downgrade(store: Store, *, revision: str) -> None:
    """Take the store back to `revision` (`base` drops every table)."""
    with store.write() as conn:
        command.downgrade(alembic_config(conn), revision)


def current_revision(store: Store) -> str | None:
    with store.read() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config()).get_current_head()
