"""`portal backup` and `portal restore`: copies of the live store that restore, taken under load.

SQLite: the online backup API (`sqlite3.Connection.backup`) copies a consistent snapshot while
the service keeps writing; the live file and its `-wal`/`-shm` are never copied by hand. The
copy is checked (`PRAGMA integrity_check`) and switched to a single file (rollback journal)
before it is renamed into place, so a half-written backup never carries the final name.
PostgreSQL: `pg_dump --format=custom` (one consistent snapshot), restored with `pg_restore`
into an empty database in a single transaction.

A restore only goes into an empty store (a new SQLite path, or a database made with
`createdb`): it never overwrites data. Afterwards the store is checked and counted.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"


class BackupError(RuntimeError):
    """A backup or restore that could not be done; the message says why, in Chinese."""


@dataclass(frozen=True)
class StoreCheck:
    """What a store holds after a restore (or any time): integrity, revision, applications."""

    integrity: str
    revision: str | None
    applications: int


def _backend(url: str) -> str:
    return sa.make_url(url).get_backend_name()


def _sqlite_path(url: str) -> Path:
    database = sa.make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("只能备份文件形式的 SQLite 数据库")
    return Path(database)


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _publish(part: Path, out: Path) -> None:
    """Make `part` durable, then give it its final name atomically."""
    _fsync(part)
    os.replace(part, out)
    _fsync(out.parent)


def _libpq(url: str) -> tuple[str, dict[str, str], str | None]:
    """Return a libpq URI without the password, the environment carrying it, and the schema."""
    parsed = sa.make_url(url)
    env = dict(os.environ)
    if parsed.password:
        env["PGPASSWORD"] = str(parsed.password)
    options = str(parsed.query.get("options", ""))
    schema = None
    if "search_path=" in options:
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
    plain = parsed.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env, schema


def _run(command: list[str], env: dict[str, str], what: str) -> None:
    tool = shutil.which(command[0])
    if tool is None:
        raise BackupError(f"找不到 {command[0]},请安装 PostgreSQL 客户端(postgresql-client)")
    done = subprocess.run([tool, *command[1:]], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{what}失败:{done.stderr.strip()}")


def backup(*, url: str, out: Path) -> None:
    """Write a restorable copy of the store at `url` to `out` while the service keeps running."""
    out.parent.mkdir(parents=True, exist_ok=True)
    part = out.with_name(out.name + ".part")
    part.unlink(missing_ok=True)
    try:
        if _backend(url) == "sqlite":
            _backup_sqlite(_sqlite_path(url), part)
        else:
            uri, env, schema = _libpq(url)
            command = ["pg_dump", "--format=custom", f"--file={part}", f"--dbname={uri}"]
            _run(command + ([f"--schema={schema}"] if schema else []), env, "pg_dump 备份")
        _publish(part, out)
    finally:
        part.unlink(missing_ok=True)


def _backup_sqlite(source: Path, part: Path) -> None:
    if not source.is_file():
        raise BackupError(f"数据库文件不存在:{source}")
    live = sqlite3.connect(source, timeout=30)
    copy = sqlite3.connect(part)
    try:
        live.backup(copy)  # one step: a consistent snapshot, writers carry on (WAL)
        copy.execute("PRAGMA journal_mode=DELETE")
        result = copy.execute("PRAGMA integrity_check").fetchone()[0]
        if result != "ok":
            raise BackupError(f"备份文件未通过完整性检查:{result}")
    finally:
        copy.close()
        live.close()


def _kind_of(path: Path) -> str:
    with path.open("rb") as handle:
        head = handle.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} 不是 portal backup 生成的备份文件")


def _is_empty(url: str) -> bool:
    if _backend(url) == "sqlite":
        path = _sqlite_path(url)
        return not path.exists() or path.stat().st_size == 0
    engine = sa.create_engine(url)
    try:
        with engine.connect() as conn:
            return not sa.inspect(conn).get_table_names()
    finally:
        engine.dispose()


def restore(*, source: Path, url: str) -> StoreCheck:
    """Restore the backup file `source` into the empty store at `url`, then check it."""
    if not source.is_file():
        raise BackupError(f"备份文件不存在:{source}")
    kind = _kind_of(source)
    if kind != _backend(url):
        raise BackupError(f"备份文件是 {kind} 的,目标数据库是 {_backend(url)} 的")
    if not _is_empty(url):
        raise BackupError("目标数据库不是空的;请换一个新文件名,或先用 createdb 建一个空数据库")
    if kind == "sqlite":
        _restore_sqlite(source, _sqlite_path(url))
    else:
        uri, env, _schema = _libpq(url)
        command = ["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error"]
        command += ["--single-transaction", f"--dbname={uri}", str(source)]
        _run(command, env, "pg_restore 恢复")
    return check(url=url)


def _restore_sqlite(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    saved = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    part = target.with_name(target.name + ".part")
    part.unlink(missing_ok=True)
    fresh = sqlite3.connect(part)
    try:
        saved.backup(fresh)
        fresh.execute("PRAGMA journal_mode=WAL")
    finally:
        fresh.close()
        saved.close()
    _publish(part, target)


def check(*, url: str) -> StoreCheck:
    """Check the store's integrity and count what it holds."""
    from form_service.store import Store, migrate
    from form_service.store.tables import applications

    store = Store(url)
    try:
        with store.read() as conn:
            if store.dialect == "sqlite":
                integrity = conn.exec_driver_sql("PRAGMA integrity_check").scalar_one()
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken and integrity == "ok":
                    integrity = f"{len(broken)} 条外键错误"
            else:
                integrity = "ok"
            count = conn.execute(sa.select(sa.func.count()).select_from(applications))
            total = int(count.scalar_one())
        return StoreCheck(integrity, migrate.current_revision(store), total)
    finally:
        store.dispose()
