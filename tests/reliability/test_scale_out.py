"""Promise 3: it scales out on an existing engine, not a home-made one.

Two instances of the form service (deploy/systemd/portal@.service, two workers each) on two
ports share one PostgreSQL database and one Redis; nginx, configured from deploy/nginx/
portal.conf, serves the static site and spreads the form service's requests over both.
Applications sent through nginx are each stored exactly once whichever instance took each
step; rate limits hold across the instances; when one instance dies, nginx sends people to the
other; when both are down, the static site still answers and the forms say "系统繁忙".
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pytest

from tests.support.checks import leaks, personal_patterns, verify
from tests.support.databases import postgres_database, redis_database
from tests.support.http import request
from tests.support.load import Applicants, Recorder, StaffBrowser, apply_once
from tests.support.servers import run_portal, service_env, two_behind_nginx

PASSWORD = "sh-union-2011 skills!"
TOKEN = re.compile(rb'name="csrf_token"[^>]*value="([^"]+)"')
SITE_HEADERS = (
    "X-Content-Type-Options",
    "Referrer-Policy",
    "X-Frame-Options",
    "Content-Security-Policy",
    "Strict-Transport-Security",
)
TOO_BIG = "提交的内容超过了允许的大小,请删减后重新提交。"


def _headers(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    status, headers, body = request(port, "GET", path)
    return status, {k.lower(): v for k, v in headers.items()}, body


def _upstreams(access_log: Path, prefix: str) -> Counter[str]:
    """Count which instance answered each request whose path starts with `prefix`."""
    found: Counter[str] = Counter()
    for line in access_log.read_text(encoding="utf-8").splitlines():
        match = re.search(r'"[A-Z]+ (\S+)" .* upstream=(\S+)$', line)
        if match and match.group(1).startswith(prefix):
            found[match.group(2)] += 1
    return found


def _failed_lookups(port: int, times: int) -> list[int]:
    """Wrong reference/phone pairs, each claiming another address in X-Forwarded-For."""
    status, headers, page = request(port, "GET", "/apply/status")
    cookie = headers["set-cookie"].split(";", 1)[0]
    token = TOKEN.search(page).group(1).decode()  # type: ignore[union-attr]
    codes = []
    for n in range(times):
        body = urllib.parse.urlencode(
            {"csrf_token": token, "reference": "ABC2DEF3", "phone_last4": "0000"}
        ).encode()
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        conn.request("POST", "/apply/status", body=body, headers={
            "Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie,
            "X-Forwarded-For": f"10.9.8.{n}"})  # fmt: skip
        response = conn.getresponse()
        response.read()
        conn.close()
        codes.append(response.status)
    return codes


@pytest.mark.slow
@pytest.mark.postgres
def test_two_instances_behind_nginx_share_the_store_and_the_limits(
    tmp_path: Path, course_and_unit: tuple[str, str]
) -> None:
    course, unit = course_and_unit
    with postgres_database("portal_scale") as url, redis_database(11) as redis_url:
        env = service_env(url=url, folder=tmp_path, workers=2, redis_url=redis_url,
                          PORTAL_PROXIES="1", PORTAL_RATELIMIT_LOOKUP="4/minute")  # fmt: skip
        for command in (("db", "upgrade"), ("build",)):
            done = run_portal(*command, env=env)
            assert done.returncode == 0, done.stderr
        made = run_portal("staff", "add", "shizong", "--role", "admin", "--password-stdin",
                          env=env, stdin=PASSWORD + "\n")  # fmt: skip
        assert made.returncode == 0, made.stderr
        site = tmp_path / "site"
        with two_behind_nginx(env=env, folder=tmp_path) as (a, b, front):
            # The same static site from nginx and from each instance, with the same headers.
            for path, file in (("/", "index.html"), ("/courses/", "courses/index.html")):
                bodies = {port: _headers(port, path) for port in (front.port, a.port, b.port)}
                assert {p: (s, body) for p, (s, _, body) in bodies.items()} == {
                    p: (200, (site / file).read_bytes()) for p in bodies
                }
            via_nginx, via_app = _headers(front.port, "/")[1], _headers(a.port, "/")[1]
            assert {h: via_nginx.get(h.lower()) for h in SITE_HEADERS} == {
                h: via_app.get(h.lower()) for h in SITE_HEADERS
            }

            # Applications through nginx: every one stored once, whichever instance took it.
            with Applicants(front.port, clients=4, course=course, unit=unit) as load:
                end = time.monotonic() + 60
                while len(load.record.by_outcome("ok")) < 40 and time.monotonic() < end:
                    time.sleep(0.5)
                record = load.stop()
            figures, problems = verify(url, record.attempts)
            assert problems == [] and figures.acknowledged >= 40
            assert figures.stored == figures.acknowledged + figures.indeterminate_stored
            access = tmp_path / "nginx" / "portal-access.log"
            answered = _upstreams(access, "/apply/training")
            assert set(answered) == {f"127.0.0.1:{a.port}", f"127.0.0.1:{b.port}"}

            # Limits are shared through Redis and keyed on the address nginx saw.
            assert _failed_lookups(front.port, 5) == [404, 404, 404, 404, 429]
            assert len(_upstreams(access, "/apply/status")) == 2
            staff = StaffBrowser(front.port, Recorder())
            # The default: 10 failed sign-ins per account and address in 15 minutes, whichever
            # instance (tests/reliability/test_sign_in_limits.py: workers, forged headers, owner).
            tries = [staff.login("shizong", "wrong password") for _ in range(11)]
            assert tries == [200] * 10 + [429]
            assert len(_upstreams(access, "/staff/login")) == 2

            # Bodies over 64 KiB: the app's page; over nginx's 1 MiB: nginx's page, same words.
            for size in (100_000, 2_000_000):
                status, _, page = request(
                    front.port, "POST", "/apply/training", b"name=" + b"x" * size
                )
                assert (status, TOO_BIG in page.decode()) == (413, True)

            # One instance dies: nginx sends every request to the other.
            a.kill()
            statuses = [request(front.port, "GET", "/apply/training")[0] for _ in range(6)]
            assert statuses == [200] * 6
            late = Recorder()
            attempt = apply_once(front.port, 9_000_000, course=course, unit=unit, record=late)
            assert attempt is not None and attempt.outcome == "ok"
            b.kill()
            status, _, page = request(front.port, "GET", "/apply/training")
            assert (status, "系统繁忙" in page.decode()) == (502, True)
            assert request(front.port, "GET", "/")[0] == 200  # the site itself needs no app
        _, problems = verify(url, [*record.attempts, attempt])
        assert problems == []
        logs = [tmp_path / "a.log", tmp_path / "b.log", *(tmp_path / "nginx").glob("*.log")]
        assert leaks(logs, personal_patterns([*record.attempts, attempt])) == []
