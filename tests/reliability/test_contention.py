"""Promise 2: several writers never surface "database is locked".

One SQLite file, gunicorn with 4 workers (as deploy/systemd/portal@.service starts it), for
60 seconds: six people applying without pause, two members of staff moving applications
along (录取, 在训, 结业) from their own sessions, and a third downloading the real-name register
and the statistics return (long write transactions that hold the lock) and revealing full ID
numbers (audited writes). Not one answer is a 5xx, the server log has no "database is locked"
and no traceback, and every step staff were told was done is in the history exactly once.
"""

from __future__ import annotations

import os
import random
import re
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import quote

import pyotp
import pytest
import sqlalchemy as sa

from form_service.store import Store
from form_service.store.tables import application_events, audit_log
from tests.support.checks import leaks, personal_patterns, verify
from tests.support.databases import redis_database
from tests.support.load import FAULT_SEED, NETWORK, Applicants, Recorder, StaffBrowser
from tests.support.servers import gunicorn, run_portal, service_env

SECONDS = float(os.environ.get("PORTAL_CONTENTION_SECONDS", "60"))
PASSWORD = "sh-union-2011 skills!"
STAFF = ("shizong", "shizong-2", "shizong-3")
NEXT = {"已提交": "已录取", "候补": "已录取", "已录取": "在训", "在训": "结业"}
DETAIL = re.compile(rb'href="/staff/applications/(\d+)"')


def _review(port: int, username: str, record: Recorder, stop: threading.Event, seed: int,
            done: Counter[str], totp: pyotp.TOTP) -> None:  # fmt: skip
    """Move applications one step at a time, as a member of staff does."""
    rng = random.Random(seed)
    browser = StaffBrowser(port, record)
    assert browser.login(username, PASSWORD, totp.now()) == 302
    while not stop.is_set():
        state = rng.choice(list(NEXT))
        try:
            _, _, page = browser.get("/staff/applications?state=" + quote(state))
            found = DETAIL.findall(page)
            if not found:
                time.sleep(0.2)
                continue
            application = rng.choice(found).decode()
            browser.get(f"/staff/applications/{application}")
            step = [("expected", state), ("to_state", NEXT[state]), ("on", "2011-07-01")]
            status, _, _ = browser.post(f"/staff/applications/{application}/step", step)
        except NETWORK as exc:
            record.broke(exc)
            continue
        done["steps" if status == 302 else "refused"] += 1


def _report(port: int, username: str, record: Recorder, stop: threading.Event,
            done: Counter[str], totp: pyotp.TOTP) -> None:  # fmt: skip
    """Download the register and the return, reveal full ID numbers: long and audited writes."""
    browser = StaffBrowser(port, record)
    assert browser.login(username, PASSWORD, totp.now()) == 302
    while not stop.is_set():
        try:
            form = [("format", "csv"), ("kind", "all"), ("unit", "")]
            status, _, _ = browser.post("/staff/register", form)
            done[f"register {status}"] += 1
            status, _, _ = browser.get("/staff/stats/download?format=xlsx")
            done[f"stats {status}"] += 1
            _, _, page = browser.get("/staff/applications")
            for application in DETAIL.findall(page)[:3]:
                browser.post(f"/staff/applications/{application.decode()}/reveal", [])
                done["reveals"] += 1
        except NETWORK as exc:
            record.broke(exc)
        stop.wait(1.0)


@pytest.mark.slow
def test_four_workers_on_sqlite_never_answer_5xx(
    tmp_path: Path, course_and_unit: tuple[str, str]
) -> None:
    url = f"sqlite:///{tmp_path / 'data' / 'portal.db'}"
    with redis_database(10) as redis_url:
        env = service_env(url=url, folder=tmp_path, workers=4, redis_url=redis_url)
        assert run_portal("db", "upgrade", env=env).returncode == 0
        totps = []
        for username in STAFF:
            made = run_portal("staff", "add", username, "--role", "admin", "--password-stdin",
                              env=env, stdin=PASSWORD + "\n")  # fmt: skip
            assert made.returncode == 0, made.stderr
            # Production: no session without a second factor; the operator enables it.
            enabled = run_portal("staff", "2fa", "enable", username, env=env)
            assert enabled.returncode == 0, enabled.stderr
            totp = pyotp.parse_uri(enabled.stdout.splitlines()[1])
            assert isinstance(totp, pyotp.TOTP)
            totps.append(totp)
        server = gunicorn(env=env, log=tmp_path / "server.log")
        done: Counter[str] = Counter()
        stop = threading.Event()
        with server:
            server.start()
            server.wait_up()
            with Applicants(server.port, clients=6, course=course_and_unit[0],
                            unit=course_and_unit[1]) as load:  # fmt: skip
                staff = [
                    threading.Thread(
                        target=_review,
                        args=(
                            server.port,
                            STAFF[i],
                            load.record,
                            stop,
                            FAULT_SEED + i,
                            done,
                            totps[i],
                        ),
                    )  # fmt: skip
                    for i in range(2)
                ]
                staff.append(threading.Thread(
                    target=_report, args=(server.port, STAFF[2], load.record, stop, done,
                                          totps[2])))  # fmt: skip
                for thread in staff:
                    thread.start()
                time.sleep(SECONDS)
                stop.set()
                for thread in staff:
                    thread.join(timeout=120)
                record = load.stop()
    answers = sum(record.statuses.values())
    print(f"\ncontention sqlite 4 workers {SECONDS:g} s: {answers} answers, "
          f"{sum(n for s, n in record.statuses.items() if s >= 500)} 5xx, "
          f"{len(record.by_outcome('ok'))} applications, {dict(done)}")  # fmt: skip
    assert [(status, what) for status, what, _ in record.server_errors] == []
    assert record.errors == Counter()  # no connection was refused or reset either
    log = server.log_text()
    assert "database is locked" not in log and "Traceback" not in log
    figures, problems = verify(url, record.attempts)
    assert problems == [] and figures.acknowledged == figures.attempted
    store = Store(url)
    with store.read() as conn:
        steps = conn.execute(
            sa.select(sa.func.count())
            .select_from(application_events)
            .where(application_events.c.actor.in_(STAFF))
        ).scalar_one()
        audit_rows = [" ".join(map(str, row)) for row in conn.execute(sa.select(audit_log))]
    store.dispose()
    assert steps == done["steps"] > 0
    assert done["register 200"] > 0 and done["stats 200"] > 0 and done["reveals"] > 0
    secrets = personal_patterns(record.attempts)
    assert leaks([server.log], secrets) == []
    assert [row for row in audit_rows if any(value in row for value in secrets)] == []
