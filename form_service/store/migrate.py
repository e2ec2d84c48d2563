"""Create or migrate the store with Alembic, configured in code (no alembic.ini)."""

from __future__ import annotations

from pathlib import Path
from typing import Any, cast

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


def differences(store: Store) -> list[str]:
    """List how the live store differs from the newest migration and the table metadata."""
    from alembic.autogenerate import compare_metadata

    from form_service.store.tables import metadata

    found = []
    current, head = current_revision(store), head_revision()
    if current != head:
        found.append(
            f"数据库版本是 {current or '(空)'},迁移的最新版本是 {head}:请运行 portal db upgrade"
        )
    with store.read() as conn:
        context = MigrationContext.configure(conn, opts={"compare_type": True})
        for diff in compare_metadata(context, metadata):
            found.append(describe(diff))
    return found


def describe(diff: object) -> str:
    """Say one autogenerate difference in one line, naming the table."""
    if isinstance(diff, list):  # column modifications come as a list of tuples
        return "; ".join(describe(item) for item in diff)
    action, *rest = cast(tuple[Any, ...], diff)
    what = {
        "add_table": "表在元数据中有、数据库中没有",
        "remove_table": "表在数据库中有、元数据中没有",
        "add_column": "列在元数据中有、数据库中没有",
        "remove_column": "列在数据库中有、元数据中没有",
        "add_index": "索引在元数据中有、数据库中没有",
        "remove_index": "索引在数据库中有、元数据中没有",
        "add_constraint": "约束在元数据中有、数据库中没有",
        "remove_constraint": "约束在数据库中有、元数据中没有",
        "add_fk": "外键在元数据中有、数据库中没有",
        "remove_fk": "外键在数据库中有、元数据中没有",
        "modify_type": "列类型不同",
        "modify_nullable": "列是否可空不同",
        "modify_default": "列默认值不同",
    }.get(action, action)
    return f"{what}:{_name_of(action, rest)}"


def _name_of(action: str, rest: list[object]) -> str:
    if action in ("add_table", "remove_table"):
        return str(getattr(rest[0], "name", rest[0]))
    if action in ("add_column", "remove_column"):
        return f"{rest[1]}.{getattr(rest[2], 'name', rest[2])}"
    if action.startswith("modify_"):
        return f"{rest[1]}.{rest[2]}"
    item = rest[0]
    table = getattr(getattr(item, "table", None), "name", "")
    return f"{table}.{getattr(item, 'name', item)}"
