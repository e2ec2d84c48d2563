"""Real servers for the reliability tests: gunicorn started as systemd starts it, nginx from the
deploy/ template (PostgreSQL and Redis: databases.py).

Every process runs in its own process group and is killed at the end even when a test fails;
everything written goes under the test's tmp folder.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from types import TracebackType

from tests.support.services import missing
from tests.support.settings import PINNED_TODAY, REAL_CONTENT

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
VENV_BIN = Path(sys.executable).parent
# Keys of the servers under test: strong enough for production mode, known to the checks.
SECRET_KEY = "rel-secret-9c1e5b7a3f2d4e6c8b0a1f3e5d7c9b2a"
ID_KEY = "rel-id-key-4f6a8c0e2b4d6f8a1c3e5b7d9f0a2c4e"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def unit_command(unit: str, *, instance: str = "") -> list[str]:
    """Return a deploy/systemd unit's ExecStart as this checkout runs it (paths, %i, %%, $$)."""
    text = (DEPLOY / "systemd" / unit).read_text(encoding="utf-8")
    line = next(x for x in text.splitlines() if x.startswith("ExecStart="))
    line = line.removeprefix("ExecStart=")

    def specifier(match: re.Match[str]) -> str:
        if match.group(1) not in "i%":
            raise ValueError(f"{unit}: specifier %{match.group(1)} is not handled here")
        return instance if match.group(1) == "i" else "%"

    line = re.sub(r"%(.)", specifier, line).replace("$$", "$")
    line = line.replace("/srv/portal/.venv/bin/", f"{VENV_BIN}/").replace("/srv/portal", str(ROOT))
    return shlex.split(line)


def service_env(
    *, url: str, folder: Path, workers: int, redis_url: str | None, **extra: str
) -> dict[str, str]:
    """The environment of /etc/portal/portal.env for a server under test (production mode)."""
    env = {
        **os.environ,
        "PORTAL_ENV": "production",
        "PORTAL_SECRET_KEY": SECRET_KEY,
        "PORTAL_ID_KEY": ID_KEY,
        "PORTAL_DATABASE_URL": url,
        "PORTAL_WORKERS": str(workers),
        "PORTAL_PROXIES": "0",
        "PORTAL_CONTENT_DIR": str(REAL_CONTENT),
        "PORTAL_SITE_DIR": str(folder / "site"),
        "PORTAL_DATA_DIR": str(folder / "data"),
        "PORTAL_TODAY": PINNED_TODAY,
        "PORTAL_LOG_LEVEL": "debug",
        "PORTAL_RATELIMIT_SUBMIT": "1000000/minute",
        "PORTAL_RATELIMIT_SUBMIT_ADDRESS": "1000000/minute",  # load from one address
        "PYTHONDONTWRITEBYTECODE": "1",
    }
    if redis_url:
        env["PORTAL_RATELIMIT_STORAGE_URL"] = redis_url
    env.update(extra)
    return env


def run_portal(
    *args: str, env: dict[str, str], stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run the `portal` command as an operator would."""
    return subprocess.run(
        [str(VENV_BIN / "portal"), *args],
        env=env,
        cwd=ROOT,
        input=stdin,
        capture_output=True,
        text=True,
    )


def _stop_group(proc: subprocess.Popen[bytes], sig: int, wait: float) -> None:
    if proc.poll() is None or _group_alive(proc.pid):
        with suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
    try:
        proc.wait(timeout=wait)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    end = time.monotonic() + 3
    while _group_alive(proc.pid) and time.monotonic() < end:
        time.sleep(0.05)


def _group_alive(pgid: int) -> bool:
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def http_get(port: int, path: str, timeout: float = 5) -> int:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


class Server:
    """A process group we start, wait for, kill and always stop."""

    def __init__(self, command: list[str], *, env: dict[str, str], log: Path, port: int) -> None:
        self.command, self.env, self.log, self.port = command, env, log, port
        self.proc: subprocess.Popen[bytes] | None = None
        self.starts = 0

    def start(self) -> None:
        assert self.proc is None or self.proc.poll() is not None, "already running"
        with self.log.open("ab") as out:
            self.proc = subprocess.Popen(
                self.command,
                env=self.env,
                cwd=ROOT,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
        self.starts += 1

    def wait_up(self, path: str = "/healthz", deadline: float = 120) -> None:
        end = time.monotonic() + deadline
        while time.monotonic() < end:
            if self.proc is not None and self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log_text()[-3000:]}")
            try:
                if http_get(self.port, path) == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise RuntimeError(f"server on port {self.port} did not answer {path}")

    def kill(self) -> None:
        """SIGKILL the whole process group: master and workers die mid-request."""
        assert self.proc is not None
        _stop_group(self.proc, signal.SIGKILL, wait=10)

    def stop(self) -> None:
        if self.proc is not None:
            _stop_group(self.proc, signal.SIGTERM, wait=20)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace") if self.log.exists() else ""

    def __enter__(self) -> Server:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def gunicorn(*, env: dict[str, str], log: Path, port: int | None = None) -> Server:
    """A form-service instance started exactly as deploy/systemd/portal@.service starts it."""
    port = port or free_port()
    return Server(unit_command("portal@.service", instance=str(port)), env=env, log=log, port=port)


# --- nginx ----------------------------------------------------------------------------------


def render_nginx_site(values: dict[str, str]) -> str:
    """Render deploy/nginx/portal.conf as envsubst would with exactly these variables."""
    text = (DEPLOY / "nginx" / "portal.conf").read_text(encoding="utf-8")
    names = set(re.findall(r"\$\{(PORTAL_[A-Z0-9_]+)\}", text))
    assert names == set(values), f"template variables {sorted(names)} != {sorted(values)}"
    for name, value in values.items():
        text = text.replace("${" + name + "}", value)
    return text


def nginx(folder: Path, *, port: int, apps: list[int], site: Path) -> Server:
    """nginx on 127.0.0.1:`port` in front of `apps`, serving `site`, all files in `folder`."""
    if shutil.which("nginx") is None:
        missing("nginx is not installed (apt-get install -y nginx)")
    folder.mkdir(parents=True, exist_ok=True)
    for temp in ("body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (folder / temp).mkdir(exist_ok=True)
    (folder / "no-tls.conf").write_text("# plain HTTP on loopback in the tests\n")
    site_conf = render_nginx_site(
        {
            "PORTAL_LISTEN": f"127.0.0.1:{port}",
            "PORTAL_SERVER_NAME": "127.0.0.1",
            "PORTAL_APP_1": f"127.0.0.1:{apps[0]}",
            "PORTAL_APP_2": f"127.0.0.1:{apps[1]}",
            "PORTAL_SITE_DIR": str(site),
            "PORTAL_ERROR_PAGES": str(DEPLOY / "nginx" / "errors"),
            "PORTAL_TLS_SNIPPET": str(folder / "no-tls.conf"),
            "PORTAL_NGINX_LOG_DIR": str(folder),
        }
    )
    (folder / "portal.conf").write_text(site_conf, encoding="utf-8")
    main = f"""\
user root;
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log warn;
events {{ worker_connections 512; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {folder}/body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/portal.conf;
}}
"""
    (folder / "nginx.conf").write_text(main, encoding="utf-8")
    command = ["nginx", "-p", str(folder), "-c", str(folder / "nginx.conf")]
    command += ["-e", str(folder / "error.log"), "-g", "daemon off;"]
    return Server(command, env=dict(os.environ), log=folder / "stdout.log", port=port)


@contextmanager
def two_behind_nginx(
    *, env: dict[str, str], folder: Path
) -> Iterator[tuple[Server, Server, Server]]:
    """Two instances (a.log, b.log in `folder`) behind nginx serving `folder/site`, all answering."""
    a = gunicorn(env=env, log=folder / "a.log")
    b = gunicorn(env=env, log=folder / "b.log")
    front = nginx(folder / "nginx", port=free_port(), apps=[a.port, b.port], site=folder / "site")
    with a, b, front:
        for server in (a, b, front):
            server.start()
        for server in (a, b):
            server.wait_up()
        front.wait_up("/")
        yield a, b, front
