"""Promise 1: a reference number means it is saved.

gunicorn runs as deploy/systemd/portal@.service starts it (4 workers, production settings);
eight clients apply without pause and record every answer; the whole process group is killed
with SIGKILL several times mid-load (and, on PostgreSQL, the database server is stopped with
`pg_ctl stop -m immediate`, which skips the shutdown checkpoint), then restarted. Afterwards
every acknowledged application is in the store with its data intact, nothing refused was
stored, every indeterminate one is absent or whole, and SQLite passes `PRAGMA integrity_check`.
"""

from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from tests.support.checks import leaks, personal_patterns, verify
from tests.support.databases import (
    postgres_database,
    postgres_durability,
    redis_database,
    start_postgres,
    stop_postgres_immediately,
)
from tests.support.load import FAULT_SEED, Applicants
from tests.support.servers import gunicorn, run_portal, service_env

CLIENTS = 8
WORKERS = 4


def _run(
    url: str,
    tmp_path: Path,
    redis_url: str,
    course: tuple[str, str],
    rng: random.Random,
    faults: list[str],
) -> None:
    env = service_env(url=url, folder=tmp_path, workers=WORKERS, redis_url=redis_url)
    migrated = run_portal("db", "upgrade", env=env)
    assert migrated.returncode == 0, migrated.stderr
    server = gunicorn(env=env, log=tmp_path / "server.log")
    with server:
        server.start()
        server.wait_up()
        with Applicants(server.port, clients=CLIENTS, course=course[0], unit=course[1]) as load:
            try:
                for fault in faults:
                    time.sleep(rng.uniform(1.0, 3.5))
                    if fault == "kill":
                        server.kill()
                        server.start()
                    else:
                        stop_postgres_immediately()
                        time.sleep(rng.uniform(0.3, 1.5))
                        start_postgres()
                    server.wait_up()
                time.sleep(2)
            finally:
                if "postgres" in faults:
                    start_postgres()  # other tests on this machine need it
            record = load.stop()
    figures, problems = verify(url, record.attempts)
    label = f"crash {url.split(':')[0].split('+')[0]} seed={FAULT_SEED} faults={','.join(faults)}"
    print(f"\n{figures.line(label)}")
    assert problems == []
    assert figures.lost == 0
    assert server.starts == 1 + faults.count("kill")
    assert figures.acknowledged >= 20, "too little load to prove anything"
    # A database outage reads "系统繁忙" (503), never a 500; a killed server answers nothing.
    assert {(status, "系统繁忙" in body.decode()) for status, _, body in record.server_errors} <= {
        (503, True)
    }
    if "postgres" not in faults:
        assert record.server_errors == []
    assert leaks([server.log], personal_patterns(record.attempts)) == []


@pytest.mark.slow
def test_sqlite_loses_nothing_acknowledged_under_kill_9(
    tmp_path: Path, course_and_unit: tuple[str, str], rng: random.Random
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'portal.db'}"
    with redis_database(9) as redis_url:
        _run(url, tmp_path, redis_url, course_and_unit, rng, ["kill"] * 5)


@pytest.mark.slow
@pytest.mark.postgres
def test_postgresql_loses_nothing_acknowledged_under_kill_9_and_an_immediate_stop(
    tmp_path: Path, course_and_unit: tuple[str, str], rng: random.Random
) -> None:
    assert postgres_durability() == {
        "fsync": "on",
        "synchronous_commit": "on",
        "full_page_writes": "on",
    }
    with postgres_database("portal_crash") as url, redis_database(9) as redis_url:
        _run(url, tmp_path, redis_url, course_and_unit, rng, ["kill", "postgres"] * 2 + ["kill"])
