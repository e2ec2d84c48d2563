"""Promise 4, fuzzed: any request to any route gets an answer that is not a server error.

Hypothesis draws a route of the app's url_map, a method, path arguments, a query string, a
body (form fields with known and unknown names, raw bytes, JSON, nothing), a content type and a
cookie, sometimes with a valid CSRF token and idempotency key so that requests reach the
validation. Every answer is below 500; an HTML refusal is in Chinese and shows no trace of the
framework; nothing is stored unless the whole application was valid. Signed-in staff get the
same treatment on every console route (tests/form_service/apply/test_fuzz.py fuzzes each form field).
"""

from __future__ import annotations

import re
import urllib.parse
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from werkzeug.routing import Rule

from form_service.applications import lifecycle
from form_service.content.publishing import only_build
from form_service.store.tables import application_events, applications
from form_service.web import services
from tests.support.applications import apply
from tests.support.apps import make_app
from tests.support.people import id_number
from tests.support.staff import Staff, add_accounts

TRIED: Counter[str] = Counter()  # inputs tried per fuzzer, printed at the end of each test
METHODS = ("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS")
FIELDS = ("name", "id_number", "phone", "course_id", "unit_id", "target_groups", "action",
          "csrf_token", "idempotency_key", "consent_privacy", "consent_id_number", "website",
          "reference", "phone_last4", "username", "password", "next", "to_state", "expected",
          "on", "kind", "happened_on", "employer", "format", "unit", "q", "page", "cutoff")  # fmt: skip
NASTY = ["", "\x00", "\u202e", "\ufeff", "%00", "%FF%FE", "../../etc/passwd", "'; DROP TABLE x;--",
         "<script>alert(1)</script>", "=1+1", "张" * 600, "9" * 40, "-1", "1e309", "[]", "{}",
         "javascript:alert(1)", "//evil.example", "submit", "continue", "edit"]  # fmt: skip
CJK = re.compile(r"[\u4e00-\u9fff]")
FRAMEWORK = ("Traceback", 'File "', "sqlalchemy", "Werkzeug", "Internal Server Error", "jinja2")

text = st.text(max_size=60) | st.sampled_from(NASTY)
pairs = st.lists(st.tuples(st.sampled_from(FIELDS) | st.text(max_size=12), text), max_size=12)


def _count(app: Flask) -> int:
    with services.store(app).read() as conn:
        return int(conn.execute(sa.select(sa.func.count()).select_from(applications)).scalar_one())


def _path(rule: Rule, draw: st.DrawFn) -> str:
    path = rule.rule
    for argument in rule.arguments:
        converter = rule._converters.get(argument)  # type: ignore[attr-defined]
        if converter is None:  # a default, not part of the path
            continue
        items = getattr(converter, "items", None)
        if items:
            value = draw(st.sampled_from(sorted(items)) | text)
        elif type(converter).__name__ == "IntegerConverter":
            value = str(draw(st.integers(min_value=-5, max_value=10**12)))
        else:
            value = draw(st.sampled_from(["c01-jisuanji-wuji", "ABC2DEF3", "index.html"]) | text)
        safe = "/" if type(converter).__name__ == "PathConverter" else ""
        path = re.sub(rf"<[^>]*\b{argument}>", urllib.parse.quote(value, safe=safe), path)
    return path


def _request(client: FlaskClient, rule: Rule, draw: st.DrawFn, token: dict[str, str]) -> object:
    method = draw(st.sampled_from(METHODS))
    query = urllib.parse.urlencode(draw(pairs))
    kind = draw(st.sampled_from(["form", "form+token", "bytes", "json", "none"]))
    headers = {}
    if draw(st.booleans()):
        headers["Cookie"] = "session=" + urllib.parse.quote(draw(text))
    data: bytes | None = None
    content_type = draw(st.sampled_from(["application/x-www-form-urlencoded", "multipart/form-data",
                                         "application/json", "text/plain"]))  # fmt: skip
    if kind.startswith("form"):
        fields = draw(pairs) + (list(token.items()) if kind == "form+token" else [])
        data = urllib.parse.urlencode(fields).encode()
        content_type = "application/x-www-form-urlencoded"
    elif kind == "bytes":
        data = draw(st.binary(max_size=600))
    elif kind == "json":
        data = draw(st.sampled_from([b"{}", b"[1,2]", b'{"name": "\\u0000"}', b"{", b"null"]))
    return client.open(_path(rule, draw) + ("?" + query if query else ""), method=method,
                       data=data, content_type=content_type, headers=headers)  # fmt: skip


def _check(response: object, app: Flask, before: int, label: str) -> None:
    status = response.status_code  # type: ignore[attr-defined]
    body = response.get_data().decode("utf-8", errors="replace")  # type: ignore[attr-defined]
    response.close()  # type: ignore[attr-defined]
    assert status < 500, (label, status, body[:300])
    assert [word for word in FRAMEWORK if word in body] == [], label
    html = "text/html" in response.headers.get("Content-Type", "")  # type: ignore[attr-defined]
    if status >= 400 and html and body:
        assert CJK.search(body), (label, status, body[:200])
    if _count(app) != before:
        assert status == 303, label  # only a whole, valid application is stored


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path, serve_site=True,
                   PORTAL_RATELIMIT_SUBMIT="1000000/minute", PORTAL_RATELIMIT_LOOKUP="1000000/minute",
                   PORTAL_RATELIMIT_SUBMIT_ADDRESS="1000000/minute",
                   PORTAL_RATELIMIT_LOGIN_IP="1000000/minute", PORTAL_RATELIMIT_LOGIN_USER="1000000/minute")  # fmt: skip
    site = Path(app.config["PORTAL_SITE_DIR"])
    site.mkdir(parents=True)
    (site / "index.html").write_text("<h1>首页</h1>", encoding="utf-8")
    (site / "404.html").write_text("<h1>页面不存在</h1>", encoding="utf-8")
    yield app
    services.store(app).dispose()


def _fuzz(
    app: Flask,
    rules: list[Rule],
    client: FlaskClient,
    token: dict[str, str],
    *,
    examples: int,
    label: str,
    stays_inside: bool = False,
) -> None:
    """Send `examples` drawn requests to `rules`; each must be answered as `_check` demands
    (and, when `stays_inside`, never redirect to another site)."""

    @settings(max_examples=examples, deadline=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])  # fmt: skip
    @given(data=st.data())
    def one(data: st.DataObject) -> None:
        rule = data.draw(st.sampled_from(rules))
        before = _count(app)
        response = _request(client, rule, data.draw, token)
        TRIED[label] += 1
        _check(response, app, before, rule.endpoint)
        if stays_inside:
            location = response.headers.get("Location", "")  # type: ignore[attr-defined]
            assert not location.startswith(("//", "http:", "https:", "javascript:")), location

    one()


def test_any_request_to_a_public_route_is_answered(app: Flask, db_url: str) -> None:
    rules = [r for r in app.url_map.iter_rules() if not r.endpoint.startswith("staff.")]
    rules += [r for r in app.url_map.iter_rules() if r.endpoint == "staff.login"]
    client = app.test_client()
    page = client.get("/apply/training").get_data(as_text=True)
    token = {
        "csrf_token": re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1),  # type: ignore[union-attr]
        "idempotency_key": re.search(r'name="idempotency_key" value="([0-9a-f]{32})"', page).group(1),  # type: ignore[union-attr]
    }  # fmt: skip
    examples = 300 if db_url.startswith("sqlite") else 100
    _fuzz(app, rules, client, token, examples=examples,
          label="public routes")  # fmt: skip
    print(
        f"\nfuzz public routes ({db_url.split(':')[0].split('+')[0]}): {examples} requests over {len(rules)} routes"
    )


def test_any_request_from_signed_in_staff_is_answered(app: Flask, db_url: str) -> None:
    store = services.store(app)
    add_accounts(app, {"shizong": None})
    for n, (flow, course) in enumerate([("training", "c05-diangong-wuji"), ("jobseeker", None),
                                        ("entrepreneurship", "c18-syb-xiagang")]):  # fmt: skip
        apply(store, services.cipher(app), flow=flow, unit_id="yangpu", course_id=course,
              person_id=id_number("310110", "19800725", 300 + n))  # fmt: skip
    staff = Staff(app.test_client())
    assert staff.login("shizong").status_code == 302
    rules = [r for r in app.url_map.iter_rules() if r.endpoint.startswith("staff.")
             and r.endpoint not in ("staff.logout", "staff.account_action")]  # fmt: skip
    examples = 250 if db_url.startswith("sqlite") else 80
    # Hold the publish lock: a POST to 「发布网站」 answers 409 instead of building a site.
    with only_build(Path(app.config["PORTAL_SITE_DIR"])):
        _fuzz(app, rules, staff.client, {"csrf_token": staff.token}, examples=examples,
              label="staff routes", stays_inside=True)  # fmt: skip
    with store.read() as conn:
        states = set(conn.execute(sa.select(applications.c.state)).scalars())
        states |= set(conn.execute(sa.select(application_events.c.to_state)).scalars())
    assert states <= set(lifecycle.ALL_STATES)
    print(
        f"\nfuzz staff routes ({db_url.split(':')[0].split('+')[0]}): {examples} requests over {len(rules)} routes"
    )
