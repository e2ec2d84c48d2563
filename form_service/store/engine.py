"""Open the store: one pool per process, SQLite tuned for durability, writes that never deadlock.

SQLite runs in WAL mode with `synchronous=FULL` (a reported commit survives a power cut), a busy
timeout, and every write transaction starts with `BEGIN IMMEDIATE`: a deferred transaction that
reads and then writes fails at once with "database is locked" when another writer holds the lock.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import sqlalchemy as sa

BUSY_TIMEOUT_MS = 30_000


def _tune_sqlite(engine: sa.Engine) -> None:
    @sa.event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event issue BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _on_begin(conn: sa.Connection) -> None:
        immediate = conn.get_execution_options().get("portal_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def make_engine(url: str) -> sa.Engine:
    """Create the engine for `url` (SQLite file or PostgreSQL through psycopg 3)."""
    parsed = sa.make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = sa.create_engine(
            parsed,
            connect_args={"timeout": BUSY_TIMEOUT_MS / 1000},
            pool_size=8,
            max_overflow=8,
            hide_parameters=True,
        )
        _tune_sqlite(engine)
        return engine
    return sa.create_engine(
        parsed, pool_size=8, max_overflow=8, pool_pre_ping=True, hide_parameters=True
    )


def _forget_connections(ref: weakref.ref[sa.Engine]) -> None:
    engine = ref()
    if engine is not None:
        engine.dispose(close=False)


class StoreBusy(Exception):
    """A write that could not be done after several attempts; the caller may try later."""


class Store:
    """The engine of one process and the two ways to use it: reading and writing."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._writer = self.engine.execution_options(portal_write=True)
        # A forked worker must not reuse its parent's connections.
        ref = weakref.ref(self.engine)
        os.register_at_fork(after_in_child=lambda: _forget_connections(ref))

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """Run a write transaction (BEGIN IMMEDIATE on SQLite); commit when the block ends."""
        with self._writer.begin() as conn:
            yield conn

    @contextmanager
    def read(self) -> Iterator[sa.Connection]:
        """Run a read-only transaction."""
        with self.engine.begin() as conn:
            yield conn

    def dispose(self) -> None:
        self.engine.dispose()
