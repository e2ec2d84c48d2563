"""Staff sign-in limits hold across workers and instances, and a stranger cannot lock an owner out.

Servers start as deploy/systemd/portal@.service starts them, in production mode: with `memory://`
limit storage the service refuses to start; with Redis, two instances of four workers count one
account's failures from one address together, whichever worker answers; fifty failures from one
address behind the trusted proxy leave the owner, at another address, free to sign in with the
password and a code.
"""

from __future__ import annotations

import http.client
import re
import time
import urllib.parse
from collections import Counter
from pathlib import Path

import pyotp
import pytest

from tests.support.databases import redis_database
from tests.support.servers import Server, gunicorn, run_portal, service_env

PASSWORD = "sh-union-2011 skills!"
TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')
# gunicorn's access line (deploy/gunicorn.conf.py): address, <worker pid>, "METHOD path", status.
ANSWERED = re.compile(r' <(\d+)> "POST /staff/login" (\d{3}) ')
REFUSED = "拒绝启动,设置不安全:"
SHARED_STORAGE_REQUIRED = (
    "生产环境的 PORTAL_RATELIMIT_STORAGE_URL 不能是 memory://:那样每个工作进程各数各的,"
    "登录和查询次数限制形同虚设;请指向所有进程共用的 Redis(redis://…)"
)


class Browser:
    """One browser whose requests reach an instance through nginx, which sets X-Forwarded-For."""

    def __init__(self, forwarded_for: str) -> None:
        self.forwarded_for = forwarded_for
        self.cookie = ""
        self.token = ""

    def send(
        self, port: int, method: str, path: str, form: dict[str, str] | None = None
    ) -> tuple[int, str, bytes]:
        headers = {"X-Forwarded-For": self.forwarded_for}
        if self.cookie:
            headers["Cookie"] = self.cookie
        body = None
        if form is not None:
            body = urllib.parse.urlencode({"csrf_token": self.token, **form}).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            conn.request(method, path, body=body, headers=headers)
            response = conn.getresponse()
            page = response.read()
        finally:
            conn.close()
        cookie = response.getheader("Set-Cookie")
        if cookie:
            self.cookie = cookie.split(";", 1)[0]
        found = TOKEN.search(page)
        if found:
            self.token = found.group(1).decode()
        return response.status, response.getheader("Location") or "", page

    def sign_in(self, port: int, username: str, password: str) -> tuple[int, str]:
        self.send(port, "GET", "/staff/login")
        status, location, _ = self.send(
            port, "POST", "/staff/login", {"username": username, "password": password}
        )
        return status, location


def _portal(env: dict[str, str], *args: str, stdin: str | None = None) -> str:
    done = run_portal(*args, env=env, stdin=stdin)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _wait_exit(server: Server, deadline: float = 90) -> int:
    assert server.proc is not None
    end = time.monotonic() + deadline
    while server.proc.poll() is None and time.monotonic() < end:
        time.sleep(0.2)
    code = server.proc.poll()
    assert code is not None, "the server kept running"
    return code


@pytest.mark.slow
def test_production_with_memory_storage_refuses_to_start(tmp_path: Path) -> None:
    env = service_env(url=f"sqlite:///{tmp_path / 'portal.db'}", folder=tmp_path, workers=2,
                      redis_url=None)  # fmt: skip
    env.pop("PORTAL_RATELIMIT_STORAGE_URL", None)  # memory://, the default
    server = gunicorn(env=env, log=tmp_path / "server.log")
    with server:
        server.start()
        code = _wait_exit(server)
    log = server.log_text()
    assert code != 0
    assert f"{REFUSED}\n- {SHARED_STORAGE_REQUIRED}" in log
    # The operator's commands read the same file and say the same.
    done = run_portal("staff", "list", env=env)
    assert (done.returncode, done.stderr) == (1, f"Error: {REFUSED}\n- {SHARED_STORAGE_REQUIRED}\n")


@pytest.mark.slow
def test_failures_count_across_workers_and_instances_and_never_lock_the_owner_out(
    tmp_path: Path,
) -> None:
    with redis_database(14) as redis_url:
        env = service_env(url=f"sqlite:///{tmp_path / 'portal.db'}", folder=tmp_path, workers=4,
                          redis_url=redis_url, PORTAL_PROXIES="1",
                          PORTAL_RATELIMIT_LOGIN_DELAY="0.5")  # fmt: skip
        _portal(env, "db", "upgrade")
        _portal(env, "staff", "add", "shizong", "--role", "admin", "--password-stdin",
                stdin=PASSWORD + "\n")  # fmt: skip
        enabled = _portal(env, "staff", "2fa", "enable", "shizong").splitlines()
        totp = pyotp.parse_uri(enabled[1])
        a = gunicorn(env=env, log=tmp_path / "a.log")
        b = gunicorn(env=env, log=tmp_path / "b.log")
        with a, b:
            for server in (a, b):
                server.start()
            for server in (a, b):
                server.wait_up()
            ports = [a.port, b.port]

            # One guesser at one address, each try on the other instance: the 11th is refused.
            guesser = Browser("203.0.113.7")
            tries = [guesser.sign_in(ports[n % 2], "shizong", f"guess {n}")[0] for n in range(11)]
            assert tries == [200] * 10 + [429]
            assert guesser.sign_in(ports[0], "shizong", PASSWORD)[0] == 429  # from there, no more

            # Another address writing anything it likes before the proxy's own entry: 50 tries.
            tries = []
            for n in range(50):
                forger = Browser(f"10.{n}.0.1, 203.0.113.9")
                tries.append(forger.sign_in(ports[n % 2], "shizong", f"guess {n}")[0])
            assert tries == [200] * 10 + [429] * 40

            # The owner, at the office: password on one instance, code on the other.
            owner = Browser("198.51.100.20")
            assert owner.sign_in(a.port, "shizong", PASSWORD) == (302, "/staff/login/code")
            owner.send(b.port, "GET", "/staff/login/code")
            status, location, _ = owner.send(b.port, "POST", "/staff/login/code",
                                             {"code": totp.now()})  # fmt: skip
            assert (status, location) == (302, "/staff/")
            status, _, page = owner.send(a.port, "GET", "/staff/")
            assert status == 200 and "shizong" in page.decode()
        logs = a.log_text() + b.log_text()
        # Twenty failures for the account (10 + 10): the brake held the owner, and let them in.
        assert "sign-in brake on for account 'shizong': each try waits" in logs
        answered = Counter(pid for pid, _ in ANSWERED.findall(logs))
        statuses = Counter(status for _, status in ANSWERED.findall(logs))
    # 63 password POSTs (11 + 1 + 50 + the owner's), answered by workers of both instances.
    assert sum(answered.values()) == 63 and len(answered) >= 2
    assert statuses == Counter({"200": 20, "429": 42, "302": 1})
    print(f"\nsign-in POSTs per worker pid: {sorted(answered.values(), reverse=True)}")
