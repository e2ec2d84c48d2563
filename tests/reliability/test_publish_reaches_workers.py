"""A publish reaches every gunicorn worker with no restart: the next request anywhere sees the
new listings and capacities (issue 11: one published catalogue, everywhere)."""

from __future__ import annotations

import http.client
import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from flask import Flask
from werkzeug.datastructures import MultiDict

from form_service.web import services
from tests.support.apps import make_app
from tests.support.databases import postgres_database, redis_database
from tests.support.html_forms import form_data
from tests.support.servers import Server, gunicorn, run_portal, service_env, two_behind_nginx
from tests.support.staff import Staff, add_accounts

pytestmark = pytest.mark.slow
WORKERS = 4
C01 = "/staff/content/courses/c01-jisuanji-wuji"
NEW = "c24-jisuanji-zhoumo"


def _get(port: int, path: str) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8")
    finally:
        conn.close()


def _save(staff: Staff, path: str, changes: dict[str, str], *, action: str | None = None) -> int:
    page = staff.get(path).get_data(as_text=True)
    data = MultiDict(form_data(page, action or path.split("?")[0]))
    for key, value in changes.items():
        data.setlist(key, [value])
    data.setlist("csrf_token", [staff.token])
    return staff.client.post(action or path, data=data).status_code


@pytest.fixture
def served(content_copy: Path, tmp_path: Path) -> Iterator[tuple[Server, Flask]]:
    """gunicorn with 4 workers on the published site, and the console in this process."""
    with redis_database(12) as redis_url:
        db = f"sqlite:///{tmp_path / 'data' / 'portal.db'}"
        env = service_env(url=db, folder=tmp_path, workers=WORKERS, redis_url=redis_url,
                          PORTAL_CONTENT_DIR=str(content_copy), PORTAL_LOG_LEVEL="info")  # fmt: skip
        for step in (("db", "upgrade"), ("build",)):
            done = run_portal(*step, env=env)
            assert done.returncode == 0, done.stderr
        console = make_app(db, tmp_path, content=content_copy)
        add_accounts(console, {"zhabei-staff": "zhabei"})
        with gunicorn(env=env, log=tmp_path / "gunicorn.log") as server:
            server.start()
            server.wait_up()
            yield server, console
        services.store(console).dispose()


def test_a_console_publish_reaches_every_worker_without_a_restart(
    served: tuple[Server, Flask],
) -> None:
    server, console = served
    for _ in range(20):  # every worker has loaded the first build
        status, body = _get(server.port, "/api/courses/c01-jisuanji-wuji/availability")
        assert (status, json.loads(body)["capacity"]) == (200, 40)
    assert _get(server.port, f"/api/courses/{NEW}/availability")[0] == 404

    staff = Staff(console.test_client())
    staff.login("zhabei-staff")
    assert _save(staff, C01, {"capacity": "45"}) == 302
    new = "/staff/content/courses/new"
    added = {"id": NEW, "title": "计算机操作员(五级)周末班"}
    assert _save(staff, new + "?from=c01-jisuanji-wuji", added, action=new) == 302
    published = staff.post("/staff/publish")
    assert "新网站已于" in published.get_data(as_text=True)
    starts = server.starts

    reloaded: set[str] = set()
    for _ in range(400):
        status, body = _get(server.port, "/api/courses/c01-jisuanji-wuji/availability")
        assert (status, json.loads(body)["capacity"]) == (200, 45)
        status, body = _get(server.port, f"/api/courses/{NEW}/availability")
        assert (status, json.loads(body)["capacity"]) == (200, 45)  # copied after the raise
        status, body = _get(server.port, f"/apply/training?course={NEW}")
        assert (
            status == 200 and "计算机操作员(五级)周末班" in body and "没有找到这门课程" not in body
        )
        reloaded = set(re.findall(r"\[(\d+)\] \[INFO\] catalogue reloaded", server.log_text()))
        if len(reloaded) == WORKERS:
            break
    assert len(reloaded) == WORKERS, server.log_text()[-3000:]
    assert server.starts == starts  # no restart


@pytest.mark.postgres
def test_two_instances_on_postgresql_behind_nginx_follow_a_publish(
    content_copy: Path, tmp_path: Path
) -> None:
    with postgres_database("portal_publish") as url, redis_database(14) as redis_url:
        env = service_env(url=url, folder=tmp_path, workers=2, redis_url=redis_url,
                          PORTAL_CONTENT_DIR=str(content_copy), PORTAL_PROXIES="1",
                          PORTAL_LOG_LEVEL="info")  # fmt: skip
        for step in (("db", "upgrade"), ("build",)):
            done = run_portal(*step, env=env)
            assert done.returncode == 0, done.stderr
        console = make_app(url, tmp_path, content=content_copy)
        add_accounts(console, {"zhabei-staff": "zhabei"})
        with two_behind_nginx(env=env, folder=tmp_path) as (a, b, front):
            staff = Staff(console.test_client())
            staff.login("zhabei-staff")
            assert _save(staff, C01, {"capacity": "45"}) == 302
            assert "新网站已于" in staff.post("/staff/publish").get_data(as_text=True)
            for _ in range(50):  # through nginx: the pages from disk and the API agree
                status, body = _get(front.port, "/api/courses/c01-jisuanji-wuji/availability")
                assert (status, json.loads(body)["capacity"]) == (200, 45)
                page = _get(front.port, "/courses/c01-jisuanji-wuji/")[1]
                assert 'data-capacity="45"' in page
            # nginx keeps its upstream connections: reach every worker of each instance directly.
            pids: dict[int, set[str]] = {}
            for _ in range(300):
                for server in (a, b):
                    status, body = _get(server.port, "/api/courses/c01-jisuanji-wuji/availability")
                    assert (status, json.loads(body)["capacity"]) == (200, 45)
                    pids[server.port] = set(
                        re.findall(r"\[(\d+)\] \[INFO\] catalogue reloaded", server.log_text())
                    )
                if all(len(found) == 2 for found in pids.values()):
                    break
            assert {port: len(found) for port, found in pids.items()} == {a.port: 2, b.port: 2}
            assert a.starts == b.starts == 1  # no restart
        services.store(console).dispose()
