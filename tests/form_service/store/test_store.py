"""The store: migrations match the tables, SQLite durability settings, encryption at rest."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory
from click.testing import CliRunner

from form_service.cli import main
from form_service.store import Store, migrate
from form_service.store.tables import metadata
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import ID_NUMBER, PHONE, Applicant


def test_every_migration_goes_up_and_down_and_head_matches_the_tables(db_url: str) -> None:
    store = Store(db_url)
    revisions = [
        script.revision
        for script in reversed(
            list(ScriptDirectory.from_config(migrate.alembic_config()).walk_revisions())
        )
    ]
    try:
        for revision in revisions:
            migrate.upgrade(store, revision=revision)
            assert migrate.current_revision(store) == revision
        with store.read() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {
                t.name for t in metadata.sorted_tables
            } | {"alembic_version"}
        assert migrate.differences(store) == []
        migrate.downgrade(store, revision="base")
        with store.read() as conn:
            assert set(sa.inspect(conn).get_table_names()) == {"alembic_version"}
    finally:
        store.dispose()


def test_sqlite_runs_in_wal_with_full_sync(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'nested' / 'portal.db'}")
    with store.read() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA synchronous").scalar() == 2  # FULL
        assert conn.exec_driver_sql("PRAGMA busy_timeout").scalar() == 30_000
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
    store.dispose()


def test_writes_begin_immediate(tmp_path: Path) -> None:
    store = Store(f"sqlite:///{tmp_path / 'portal.db'}")
    statements: list[str] = []
    sa.event.listen(store.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    with store.write() as conn:
        conn.execute(sa.text("CREATE TABLE t (x INTEGER)"))
    with store.read() as conn:
        conn.execute(sa.text("SELECT 1"))
    assert statements == ["BEGIN IMMEDIATE", "CREATE TABLE t (x INTEGER)", "BEGIN", "SELECT 1"]
    store.dispose()


def test_id_and_phone_numbers_are_not_in_the_database_file(
    tmp_path: Path, form_content: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "portal.db"
    app = make_app(f"sqlite:///{path}", tmp_path, content=form_content, serve_site=True)
    applicant = Applicant(app.test_client())
    caplog.set_level(logging.DEBUG)
    applicant.apply("training")
    applicant.submit("training", {"name": "张三", "id_number": ID_NUMBER, "phone": PHONE})
    services.store(app).dispose()
    raw = b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))
    assert b"\xe5\xbc\xa0\xe4\xb8\x89" in raw  # the name is stored in clear, for staff lists
    for secret in (ID_NUMBER, PHONE, ID_NUMBER[:17]):
        assert secret.encode() not in raw
        assert secret not in caplog.text


def test_db_upgrade_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("PORTAL_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["db", "upgrade"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "data" / "portal.db").is_file()
    assert result.output.startswith(f"数据库已是最新版本({migrate.head_revision()})")
