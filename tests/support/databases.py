"""Databases of our own for each test: a SQLite file, a PostgreSQL schema or database (and the
server stopped and started under it), a Redis database number."""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import sqlalchemy as sa

from tests.support.services import POSTGRES_URL, missing, postgres_available

REDIS = os.environ.get("PORTAL_TEST_REDIS_URL", "redis://127.0.0.1:6379")


def sqlite_url(folder: Path) -> str:
    """The URL of a new SQLite file in `folder`."""
    return f"sqlite:///{folder / 'portal.db'}"


@contextmanager
def postgres_schema(prefix: str = "t") -> Iterator[str]:
    """A new, empty schema on the PostgreSQL server (the URL searches it first); dropped at the end."""
    reason = _postgres_reason()
    if reason:
        missing(reason)
    schema = f"{prefix}_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(POSTGRES_URL)
    _ddl(admin, f"CREATE SCHEMA {schema}")
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _ddl(admin, f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


@functools.cache
def _postgres_reason() -> str | None:
    """Whether the server answers, asked once per run (the schema tests ask before every test)."""
    return postgres_available()


def _ddl(engine: sa.Engine, statement: str) -> None:
    """Run schema DDL, retrying: on a server shared with other suites, DDL on the catalogue
    sometimes fails for lack of shared lock slots while other sessions create and drop."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(statement)
            return
        except sa.exc.OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))


@contextmanager
def postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database of our own; dropped at the end."""
    reason = postgres_available()
    if reason:
        missing(reason)
    name = f"{prefix}_{uuid.uuid4().hex[:8]}"
    admin = sa.create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.exec_driver_sql(f'CREATE DATABASE "{name}"')
    try:
        url = sa.make_url(POSTGRES_URL).set(database=name)
        yield url.render_as_string(hide_password=False)
    finally:
        start_postgres()
        admin.dispose()
        with admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.dispose()


def _cluster() -> list[str]:
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions or shutil.which("pg_ctlcluster") is None:
        missing("pg_ctlcluster is needed to stop and start the PostgreSQL server")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"]


def postgres_ready() -> bool:
    done = subprocess.run(["pg_isready", "-h", "127.0.0.1", "-p", "5432", "-q"], check=False)
    return done.returncode == 0


def stop_postgres_immediately() -> None:
    """`pg_ctl stop -m immediate`: no shutdown checkpoint, crash recovery at the next start."""
    subprocess.run([*_cluster(), "stop", "-m", "immediate"], check=True, capture_output=True)


def start_postgres(deadline: float = 120) -> None:
    """Start the server if it is down and wait until it accepts connections (other tests need it)."""
    if postgres_ready():
        return
    subprocess.run([*_cluster(), "start"], check=False, capture_output=True)
    end = time.monotonic() + deadline
    while not postgres_ready():
        if time.monotonic() > end:
            raise RuntimeError("PostgreSQL did not come back")
        time.sleep(0.2)


def postgres_durability() -> dict[str, str]:
    """The settings the promise rests on: fsync, synchronous_commit, full_page_writes."""
    engine = sa.create_engine(POSTGRES_URL)
    try:
        with engine.connect() as conn:
            return {
                name: str(conn.exec_driver_sql(f"SHOW {name}").scalar_one())
                for name in ("fsync", "synchronous_commit", "full_page_writes")
            }
    finally:
        engine.dispose()


@contextmanager
def redis_database(number: int) -> Iterator[str]:
    """A Redis database number used by this test alone, emptied before and after."""
    import redis

    url = f"{REDIS}/{number}"
    try:
        client = redis.Redis.from_url(url, socket_timeout=2)
        client.ping()
    except Exception as exc:  # any failure to reach Redis means it is not there
        missing(f"Redis at {url} is not reachable: {exc.__class__.__name__}")
    client.flushdb()
    try:
        yield url
    finally:
        client.flushdb()
        client.close()
