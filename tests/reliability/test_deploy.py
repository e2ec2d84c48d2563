"""deploy/ is what the tests run: the nginx site covers every route of the app, nginx accepts
it, the systemd units call commands that exist, every setting they use is read and documented,
and the access log format keeps query strings (where personal data could hide) out of logs."""

from __future__ import annotations

import os
import re
import runpy
import shlex
import shutil
import subprocess
from pathlib import Path

import pytest
from click.testing import CliRunner

from form_service import create_app
from form_service.cli import main
from form_service.web import services
from tests.support.servers import DEPLOY, ROOT, free_port, nginx, render_nginx_site
from tests.support.services import missing
from tests.support.settings import REAL_CONTENT

UNITS = sorted((DEPLOY / "systemd").glob("*.service"))


def _site_conf(tmp_path: Path) -> str:
    return render_nginx_site({
        "PORTAL_LISTEN": "127.0.0.1:8080", "PORTAL_SERVER_NAME": "_",
        "PORTAL_APP_1": "127.0.0.1:8001", "PORTAL_APP_2": "127.0.0.1:8002",
        "PORTAL_SITE_DIR": str(tmp_path), "PORTAL_ERROR_PAGES": str(DEPLOY / "nginx/errors"),
        "PORTAL_TLS_SNIPPET": "/dev/null", "PORTAL_NGINX_LOG_DIR": str(tmp_path)})  # fmt: skip


def test_nginx_sends_every_route_of_the_app_to_the_instances(tmp_path: Path) -> None:
    conf = _site_conf(tmp_path)
    prefixes = re.findall(r"location \^~ (\S+) \{ proxy_pass http://portal_forms; \}", conf)
    exact = re.findall(r"location = (\S+) \{ proxy_pass http://portal_forms; \}", conf)
    app = create_app({"PORTAL_CONTENT_DIR": str(REAL_CONTENT), "PORTAL_DATA_DIR": str(tmp_path),
                      "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}"})  # fmt: skip
    routes = {rule.rule for rule in app.url_map.iter_rules() if rule.endpoint != "site.page"}
    services.store(app).dispose()
    assert sorted(r for r in routes if r not in exact and not r.startswith(tuple(prefixes))) == []
    # …and nothing of the static site is sent there.
    site = [p.name for p in (REAL_CONTENT / "pages").iterdir()]
    assert [p for p in site if ("/" + p).startswith(tuple(prefixes))] == []


def test_nginx_accepts_the_site(tmp_path: Path) -> None:
    if shutil.which("nginx") is None:
        missing("nginx is not installed (apt-get install -y nginx)")
    server = nginx(tmp_path / "nginx", port=free_port(), apps=[free_port(), free_port()],
                   site=tmp_path)  # fmt: skip
    checked = subprocess.run([*server.command[:-2], "-t"], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    assert "syntax is ok" in checked.stderr


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_units_call_commands_that_exist(unit: Path) -> None:
    text = unit.read_text(encoding="utf-8")
    for line in re.findall(r"^Exec\w*=(.+)$", text, re.M):
        words = shlex.split(line.replace("%%", "%"))
        if words[0] == "/bin/sh":
            words = shlex.split(words[2].removeprefix("exec "))
        program = words[0].replace("/srv/portal", str(ROOT))
        if program.endswith("/portal"):
            command = [w for w in words[1:] if not w.startswith("-")][:2]
            sub = command[:2] if command[0] == "db" else command[:1]
            done = CliRunner().invoke(main, [*sub, "--help"])
            assert done.exit_code == 0, (unit.name, sub, done.output)
        elif program.endswith("/gunicorn"):
            assert words[-1] == "form_service.wsgi:app"
            config = words[words.index("--config") + 1].replace("/srv/portal", str(ROOT))
            assert Path(config).is_file()
        else:
            assert Path(program).is_absolute(), program


@pytest.mark.parametrize("unit", UNITS, ids=[u.name for u in UNITS])
def test_a_read_only_system_leaves_the_unit_a_temp_folder(unit: Path) -> None:
    """ProtectSystem=strict makes /tmp read-only too: the build, backup and jieba write there."""
    text = unit.read_text(encoding="utf-8")
    if "ProtectSystem=strict" in text:
        assert "PrivateTmp=yes" in text


def test_gunicorn_logs_paths_only_and_takes_workers_from_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("PORTAL_WORKERS", "3")
    conf = runpy.run_path(str(DEPLOY / "gunicorn.conf.py"))
    assert conf["workers"] == 3
    # %(r)s, %(q)s and %(U)s%(q)s would log query strings, %(f)s the referring page.
    assert re.findall(r"%\((\w)\)s", conf["access_log_format"]) == [
        "h",
        "p",
        "m",
        "U",
        "s",
        "b",
        "L",
    ]
    assert conf["logconfig_dict"]["loggers"]["sqlalchemy"]["level"] == "WARNING"
    assert conf["control_socket_disable"] is True  # nothing written to $HOME


def test_every_setting_in_deploy_is_read_and_documented() -> None:
    used = set()
    for path in [*DEPLOY.rglob("*")]:
        if path.is_file() and path.suffix != ".html":
            used |= set(re.findall(r"\bPORTAL_[A-Z0-9_]+", path.read_text(encoding="utf-8")))
    nginx_template = set(re.findall(r"\$\{(PORTAL_[A-Z0-9_]+)\}",
                                    (DEPLOY / "nginx/portal.conf").read_text()))  # fmt: skip
    code = "".join(
        p.read_text(encoding="utf-8")
        for folder in ("form_service", "site_builder")
        for p in (ROOT / folder).rglob("*.py")
    )
    code += (DEPLOY / "gunicorn.conf.py").read_text() + "".join(u.read_text() for u in UNITS)
    docs = (ROOT / "README.md").read_text() + (DEPLOY / "README.md").read_text()
    docs += "".join(p.read_text() for p in (ROOT / "docs").glob("*.md"))
    assert sorted(n for n in used - nginx_template if n not in code) == []
    assert [n for n in sorted(used) if n not in docs] == []
    env = dict(line.split("=", 1) for line in (DEPLOY / "portal.env.example").read_text().splitlines()
               if line and not line.startswith("#"))  # fmt: skip
    assert env["PORTAL_ENV"] == "production" and env["PORTAL_SECRET_KEY"] == ""
    assert os.path.isabs(env["PORTAL_SITE_DIR"]) and os.path.isabs(env["PORTAL_DATA_DIR"])
