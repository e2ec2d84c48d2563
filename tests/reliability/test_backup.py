"""Promise 7: backups that restore.

While people keep applying through gunicorn, `portal backup` copies the store (SQLite: the
online backup API, started as deploy/systemd/portal-backup.service starts it; PostgreSQL:
`pg_dump` custom format). `portal restore` puts each copy into a fresh, empty store, which
passes the integrity checks and holds every application acknowledged before the backup began,
each one whole; a backup taken when the load has stopped holds every application there is.
"""

from __future__ import annotations

import subprocess
import time
from dataclasses import replace
from pathlib import Path

import pytest
from click.testing import CliRunner

from form_service.cli import main
from form_service.store import Store, migrate
from form_service.store.backup import check
from tests.support.checks import verify
from tests.support.databases import postgres_database, redis_database
from tests.support.load import Applicants, Attempt
from tests.support.servers import gunicorn, run_portal, service_env, unit_command


def _as_of(attempts: list[Attempt], acknowledged: set[str]) -> list[Attempt]:
    """What a backup must hold: the applications acknowledged before it began; later ones may
    or may not be in it (indeterminate), refused ones never."""
    return [
        replace(a, outcome="ok" if a.key in acknowledged else "info")
        if a.outcome in ("ok", "info")
        else a
        for a in attempts
    ]


def _restore(backup: Path, url: str, env: dict[str, str]) -> None:
    restored = run_portal("restore", "--from", str(backup), env={**env, "PORTAL_DATABASE_URL": url})
    assert restored.returncode == 0, restored.stderr
    assert restored.stdout.startswith("已恢复:") and "完整性检查 ok" in restored.stdout


def _run(
    url: str, restore_to: tuple[str, str], tmp_path: Path, course: tuple[str, str], *,
    redis_url: str, backup_unit: bool,
) -> None:  # fmt: skip
    env = service_env(url=url, folder=tmp_path, workers=2, redis_url=redis_url,
                      PORTAL_BACKUP_DIR=str(tmp_path / "backups"))  # fmt: skip
    assert run_portal("db", "upgrade", env=env).returncode == 0
    server = gunicorn(env=env, log=tmp_path / "server.log")
    with server:
        server.start()
        server.wait_up()
        with Applicants(server.port, clients=6, course=course[0], unit=course[1]) as load:
            time.sleep(3)
            with load.record.lock:
                before = {a.key for a in load.record.attempts if a.outcome == "ok"}
            if backup_unit:
                (tmp_path / "backups").mkdir()
                command = unit_command("portal-backup.service")
                subprocess.run(command, env=env, check=True, capture_output=True)
                (during,) = (tmp_path / "backups").glob("portal-*.backup")
            else:
                during = tmp_path / "during.backup"
                made = run_portal("backup", "--out", str(during), env=env)
                assert made.returncode == 0, made.stderr
                assert made.stdout.startswith(f"已备份到 {during}")
            time.sleep(2)
            record = load.stop()
        after = tmp_path / "after.backup"
        assert run_portal("backup", "--out", str(after), env=env).returncode == 0
    assert len(before) > 0 and not list(tmp_path.glob("*.part"))
    _restore(during, restore_to[0], env)
    figures, problems = verify(restore_to[0], _as_of(record.attempts, before))
    assert problems == [] and figures.stored >= len(before)
    _restore(after, restore_to[1], env)
    figures, problems = verify(restore_to[1], record.attempts)
    assert problems == []
    assert figures.stored == check(url=url).applications
    print(f"\nbackup {url.split(':')[0].split('+')[0]}: {len(before)} acknowledged before the backup under load, "
          f"{figures.stored} in the final backup, restored whole")  # fmt: skip


@pytest.mark.slow
def test_sqlite_backup_under_load_restores(
    tmp_path: Path, course_and_unit: tuple[str, str]
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'portal.db'}"
    restored = (f"sqlite:///{tmp_path / 'r1' / 'portal.db'}", f"sqlite:///{tmp_path / 'r2.db'}")
    with redis_database(8) as redis_url:
        _run(url, restored, tmp_path, course_and_unit, redis_url=redis_url, backup_unit=True)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_backup_under_load_restores(
    tmp_path: Path, course_and_unit: tuple[str, str]
) -> None:
    with (
        postgres_database("portal_live") as url,
        postgres_database("portal_restored") as first,
        postgres_database("portal_restored") as second,
        redis_database(8) as redis_url,
    ):
        _run(url, (first, second), tmp_path, course_and_unit, redis_url=redis_url,
             backup_unit=False)  # fmt: skip


def test_restore_refuses_a_store_that_holds_data(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'a.db'}"
    env = {"PORTAL_DATABASE_URL": url, "PORTAL_DATA_DIR": str(tmp_path)}
    store = Store(url)
    migrate.upgrade(store)
    store.dispose()
    made = CliRunner().invoke(main, ["backup", "--out", str(tmp_path / "a.backup")], env=env)
    assert (
        made.output
        == f"已备份到 {tmp_path / 'a.backup'}({(tmp_path / 'a.backup').stat().st_size} 字节)\n"
    )
    refused = CliRunner().invoke(main, ["restore", "--from", str(tmp_path / "a.backup")], env=env)
    assert (refused.exit_code, refused.output) == (
        1,
        "Error: 目标数据库不是空的;请换一个新文件名,或先用 createdb 建一个空数据库\n",
    )
    wrong = CliRunner().invoke(main, ["restore", "--from", str(tmp_path / "nothing")], env=env)
    assert wrong.output == f"Error: 备份文件不存在:{tmp_path / 'nothing'}\n"
    fresh = {**env, "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'b.db'}"}
    done = CliRunner().invoke(main, ["restore", "--from", str(tmp_path / "a.backup")], env=fresh)
    assert done.output == f"已恢复:0 份申请,数据库版本 {migrate.head_revision()},完整性检查 ok\n"
    postgres = {**env, "PORTAL_DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none"}
    mismatch = CliRunner().invoke(
        main, ["restore", "--from", str(tmp_path / "a.backup")], env=postgres
    )
    assert mismatch.output == "Error: 备份文件是 sqlite 的,目标数据库是 postgresql 的\n"
