"""`portal db check`: the live store, the migrations and the table metadata agree, or each
difference is named — on SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import sqlalchemy as sa
from click.testing import CliRunner

from form_service.cli import main
from form_service.store import migrate
from form_service.store.tables import metadata


def _portal(db_url: str, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), env={"PORTAL_DATABASE_URL": db_url})
    return result.exit_code, result.output


@pytest.fixture
def table_without_migration() -> Iterator[sa.Table]:
    table = sa.Table(
        "course_waitlist_notes", metadata, sa.Column("id", sa.Integer, primary_key=True)
    )
    yield table
    metadata.remove(table)


def test_a_freshly_upgraded_store_agrees(db_url: str) -> None:
    assert _portal(db_url, "db", "upgrade")[0] == 0
    code, output = _portal(db_url, "db", "check")
    assert (code, output) == (0, f"数据库、迁移和表定义一致(版本 {migrate.head_revision()})。\n")


def test_a_table_added_without_a_migration_is_named(
    db_url: str, table_without_migration: sa.Table
) -> None:
    assert _portal(db_url, "db", "upgrade")[0] == 0
    code, output = _portal(db_url, "db", "check")
    assert code == 1
    assert output.splitlines() == [
        "表在元数据中有、数据库中没有:course_waitlist_notes",
        "共 1 处不一致。",
    ]


def test_a_store_behind_the_migrations_says_so(db_url: str) -> None:
    assert _portal(db_url, "db", "upgrade", "--revision", "0001")[0] == 0
    code, output = _portal(db_url, "db", "check")
    assert code == 1
    assert output.splitlines()[0] == (
        f"数据库版本是 0001,迁移的最新版本是 {migrate.head_revision()}:请运行 portal db upgrade"
    )
    assert "表在元数据中有、数据库中没有:staff_users" in output
