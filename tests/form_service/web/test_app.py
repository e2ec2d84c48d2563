"""The app as a whole: settings, security headers, CSRF everywhere, the site files, errors."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from flask import Flask

from form_service import create_app
from form_service.settings import UnsafeSettings
from form_service.web import services
from tests.support.pages import answers, text_of
from tests.support.settings import ID_KEY, SECRET_KEY

STRONG = "k3J9x-Qm2vT8pL5nR7wZ4bY6cF1dH0gS"
STRONG_ID = "Yb7Hn2Qx5Kp8Ls3Vz6Td9Rm4Wc1Fg0Jq"


def production_config(tmp_path: Path, form_content: Path, **overrides: object) -> dict:
    config: dict[str, object] = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": STRONG,
        "PORTAL_ID_KEY": STRONG_ID,
        "PORTAL_CONTENT_DIR": str(form_content),
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        # Nothing is counted in these tests: the storage is named, never reached.
        "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379/15",
    }
    config.update(overrides)
    return config


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"SECRET_KEY": ""}, "PORTAL_SECRET_KEY 缺失或太弱(至少 32 个随机字符)"),
        ({"SECRET_KEY": "dev"}, "PORTAL_SECRET_KEY 缺失或太弱(至少 32 个随机字符)"),
        ({"SECRET_KEY": "a" * 40}, "PORTAL_SECRET_KEY 缺失或太弱(至少 32 个随机字符)"),
        ({"PORTAL_ID_KEY": ""}, "PORTAL_ID_KEY 缺失或太弱(至少 32 个随机字符)"),
        ({"PORTAL_ID_KEY": STRONG}, "PORTAL_ID_KEY 不能与 PORTAL_SECRET_KEY 相同"),
        ({"DEBUG": True}, "生产环境不能开启调试模式(FLASK_DEBUG)"),
        *[
            (
                {"RATELIMIT_STORAGE_URI": "memory://", "PORTAL_WORKERS": workers},
                "生产环境的 PORTAL_RATELIMIT_STORAGE_URL 不能是 memory://:那样每个工作进程各数各的,"
                "登录和查询次数限制形同虚设;请指向所有进程共用的 Redis(redis://…)",
            )
            for workers in (1, 2, 4)  # whatever the worker count says
        ],
    ],
)
def test_production_refuses_unsafe_settings(
    tmp_path: Path, form_content: Path, overrides: dict, problem: str
) -> None:
    with pytest.raises(UnsafeSettings) as refused:
        create_app(production_config(tmp_path, form_content, **overrides))
    assert refused.value.problems == [problem]
    assert not (tmp_path / "data" / "dev-secret").exists()


def test_production_starts_with_strong_keys(tmp_path: Path, form_content: Path) -> None:
    app = create_app(production_config(tmp_path, form_content))
    assert app.config["SESSION_COOKIE_SECURE"] is True
    response = app.test_client().get("/healthz")
    assert response.headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    services.store(app).dispose()


def test_development_keys_come_from_a_file_and_stay_the_same(
    tmp_path: Path, form_content: Path
) -> None:
    config = {
        "PORTAL_CONTENT_DIR": str(form_content),
        "PORTAL_DATABASE_URL": f"sqlite:///{tmp_path / 'p.db'}",
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "SECRET_KEY": "",
        "PORTAL_ID_KEY": "",
        "PORTAL_ENV": "development",
    }
    first, second = create_app(dict(config)), create_app(dict(config))
    assert (tmp_path / "data" / "dev-secret").stat().st_mode & 0o777 == 0o600
    assert first.config["SECRET_KEY"] == second.config["SECRET_KEY"]
    assert first.config["PORTAL_ID_KEY"] == second.config["PORTAL_ID_KEY"]
    assert first.config["SECRET_KEY"] != first.config["PORTAL_ID_KEY"]
    assert len(first.config["SECRET_KEY"]) == 64
    for app in (first, second):
        services.store(app).dispose()


def test_security_headers(form_client) -> None:  # type: ignore[no-untyped-def]
    response = form_client.get("/apply/training")
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "object-src 'none'" in csp and "form-action 'self'" in csp
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "HttpOnly" in response.headers["Set-Cookie"]
    assert "SameSite=Lax" in response.headers["Set-Cookie"]
    page = response.get_data(as_text=True)
    assert "http://" not in page and "https://" not in page  # nothing from another host


def test_every_post_route_needs_a_csrf_token(form_app: Flask) -> None:
    client = form_app.test_client()
    posts = [r for r in form_app.url_map.iter_rules() if "POST" in (r.methods or set())]
    assert {"apply.flow", "status.lookup"} <= {r.endpoint for r in posts}
    for rule in posts:
        path = rule.rule
        for argument in rule.arguments:
            path = path.replace(f"<{argument}>", "1")
        path = path.replace(
            "<any(training, entrepreneurship, housekeeping, jobseeker):flow>", "jobseeker"
        )
        path = path.replace("<any(signups, results):kind>", "signups")
        path = re.sub(r"<[^>]+>", "1", path)
        response = client.post(path, data={**answers("jobseeker"), "reference": "ABC2DEF3"})
        assert response.status_code == 400, path


def test_chinese_error_pages(form_client) -> None:  # type: ignore[no-untyped-def]
    missing = form_client.get("/apply/nothing-here")
    assert missing.status_code == 404
    assert "页面不存在" in text_of(missing.get_data(as_text=True))
    wrong = form_client.put("/apply/training")
    assert wrong.status_code == 405
    assert "这个地址不接受这种请求。" in text_of(wrong.get_data(as_text=True))


def test_invalid_bytes_never_cause_a_server_error(form_client) -> None:  # type: ignore[no-untyped-def]
    for body in (b"name=\xff\xfe&id_number=%ED%A0%80", b"%%%", b"\x00\x00", b"a=" + b"%" * 500):
        response = form_client.post(
            "/apply/training", data=body, content_type="application/x-www-form-urlencoded"
        )
        assert response.status_code == 400


def test_healthz(form_client) -> None:  # type: ignore[no-untyped-def]
    assert form_client.get("/healthz").get_json() == {"status": "ok", "courses": 6}


def test_the_site_is_served_beside_the_forms(form_app: Flask, tmp_path: Path) -> None:
    site = Path(form_app.config["PORTAL_SITE_DIR"])
    (site / "courses" / "c01").mkdir(parents=True)
    (site / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (site / "courses" / "c01" / "index.html").write_text("<h1>电工</h1>", encoding="utf-8")
    (site / "courses" / "c01" / "c01.ics").write_text("BEGIN:VCALENDAR\r\n", encoding="utf-8")
    (site / "404.html").write_text("<h1>找不到</h1>", encoding="utf-8")
    client = form_app.test_client()

    def fetch(path: str) -> tuple[int, dict, str]:
        with client.get(path) as response:
            return response.status_code, dict(response.headers), response.get_data(as_text=True)

    status, headers, body = fetch("/")
    assert (status, body, headers["Content-Type"]) == (
        200,
        "<h1>首页</h1>",
        "text/html; charset=utf-8",
    )
    assert fetch("/courses/c01/")[2] == "<h1>电工</h1>"
    assert fetch("/courses/c01")[1]["Location"] == "/courses/c01/"
    assert fetch("/courses/c01/c01.ics")[1]["Content-Type"] == "text/calendar; charset=utf-8"
    assert fetch("/courses/none/")[0::2] == (404, "<h1>找不到</h1>")
    assert fetch("/../secret")[0] == 404
    assert client.get("/apply/jobseeker").status_code == 200  # the blueprints still win


def test_test_keys_are_not_the_development_ones() -> None:
    assert SECRET_KEY != ID_KEY
