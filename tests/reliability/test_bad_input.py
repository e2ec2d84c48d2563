"""Promise 4: bad input gets a clear answer and changes nothing — on the wire, against gunicorn.

Each request of the catalogue (docs/promises.md, bad input) goes to the real server
as bytes: the exact status, the exact Chinese message a person reads, no trace of a stack or of
the framework, nothing stored. tests/form_service/forms/test_validation.py holds the same rules through the
Flask test client; this file proves them through gunicorn's HTTP parser too, with the requests
a browser never sends (raw bytes, chunked bodies, odd methods).
"""

from __future__ import annotations

import http.client
import re
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
import sqlalchemy as sa

from form_service import messages as m
from form_service.store import Store
from form_service.store.tables import applications
from form_service.web.errors import PAGES
from tests.support.checks import leaks
from tests.support.databases import redis_database
from tests.support.http import CSRF, KEY, request
from tests.support.load import person
from tests.support.pages import text_of
from tests.support.servers import Server, gunicorn, run_portal, service_env

OPEN = "c01-jisuanji-wuji"  # open on the pinned day
CLOSED = "c03-zhongshi-pengtiao-wuji"  # ended: sign-ups go on the waiting list
HOUSEKEEPING = "c13-jiazheng-wuji-minhang"
UNIT = "zhabei"
FRAMEWORK = ("Traceback", 'File "', "sqlalchemy", "werkzeug", "Werkzeug", "Internal Server Error",
             "Bad Request", "Method Not Allowed", "jinja2", "psycopg")  # fmt: skip
TOO_BIG = PAGES[413][1]
WRONG_METHOD = PAGES[405][1]


@dataclass
class Site:
    server: Server
    url: str

    @property
    def port(self) -> int:
        return self.server.port

    def count(self) -> int:
        store = Store(self.url)
        try:
            with store.read() as conn:
                query = sa.select(sa.func.count()).select_from(applications)
                return int(conn.execute(query).scalar_one())
        finally:
            store.dispose()


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("bad-input")
    url = f"sqlite:///{folder / 'data' / 'portal.db'}"
    # Production refuses limits counted in each process (memory://), however many workers.
    with redis_database(12) as redis_url:
        env = service_env(url=url, folder=folder, workers=1, redis_url=redis_url)
        assert run_portal("db", "upgrade", env=env).returncode == 0
        (folder / "site" / "courses").mkdir(parents=True)  # a little site: folders redirect
        for page in ("index.html", "404.html", "courses/index.html"):
            (folder / "site" / page).write_text("<h1>技能培训</h1>", encoding="utf-8")
        server = gunicorn(env=env, log=folder / "server.log")
        with server:
            server.start()
            server.wait_up()
            yield Site(server, url)


@dataclass
class Form:
    """A form page opened by one visitor: their cookie, its CSRF token and idempotency key."""

    cookie: str
    fields: list[tuple[str, str]]

    @classmethod
    def open(cls, port: int, n: int, course: str = OPEN) -> Form:
        status, headers, page = request(port, "GET", f"/apply/training?course={course}")
        assert status == 200
        csrf, key = CSRF.search(page), KEY.search(page)
        assert csrf and key
        fields = [
            ("csrf_token", csrf.group(1).decode()),
            ("idempotency_key", key.group(1).decode()),
        ]
        return cls(headers["set-cookie"].split(";", 1)[0], fields + person(n, course, UNIT))

    def body(self, action: str = "submit", **changes: str | list[str]) -> bytes:
        pairs = [(k, v) for k, v in self.fields if k not in changes]
        for key, value in changes.items():
            pairs += [(key, v) for v in (value if isinstance(value, list) else [value])]
        return urllib.parse.urlencode([*pairs, ("action", action)]).encode()

    def post(self, port: int, body: bytes, path: str = "/apply/training") -> tuple[int, bytes]:
        status, _, page = request(port, "POST", path, body, self.cookie)
        return status, page


def _raw(port: int, method: str, path: str, body: bytes | None = None,
         headers: dict[str, str] | None = None, chunked: bool = False) -> tuple[int, bytes]:  # fmt: skip
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        if chunked:
            pieces = (body[i : i + 8192] for i in range(0, len(body or b""), 8192))
            conn.request(method, path, body=pieces, headers=headers or {}, encode_chunked=True)
        else:
            conn.request(method, path, body=body, headers=headers or {})
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


FORM = {"Content-Type": "application/x-www-form-urlencoded"}
Case = Callable[[int, Form], tuple[int, bytes]]


def _summary(page: bytes) -> str:
    return text_of(page.decode())


CASES: list[tuple[str, Case, int, str]] = [
    ("body over 64 KiB", lambda p, f: f.post(p, f.body(certificate_held="证" * 30_000)),
     413, TOO_BIG),
    ("chunked body over 64 KiB, no length",
     lambda p, f: _raw(p, "POST", "/apply/training", f.body(certificate_held="x" * 200_000),
                       {**FORM, "Cookie": f.cookie}, chunked=True), 413, TOO_BIG),
    ("3000 fields", lambda p, f: f.post(p, f.body() + b"".join(b"&f%d=1" % i for i in range(3000))),
     400, m.Form.REFUSED),
    ("one field twice", lambda p, f: f.post(p, f.body(name=["张三", "李四"])), 400, m.Form.REFUSED),
    ("unknown field", lambda p, f: f.post(p, f.body(state="已录取")), 400, m.Form.REFUSED),
    ("NUL byte", lambda p, f: f.post(p, f.body(name="张\x00三")), 400, m.Name.INVISIBLE),
    ("NUL in free text", lambda p, f: f.post(p, f.body(certificate_held="电工\x00证")), 400,
     m.Text.INVISIBLE.format(label="已有的职业资格证书")),
    ("invalid UTF-8 bytes", lambda p, f: f.post(p, f.body(name="X").replace(b"name=X", b"name=\xff\xfe")),
     400, m.Form.TOKEN_MISSING),
    ("%FF%FE escape", lambda p, f: f.post(p, f.body(name="X").replace(b"name=X", b"name=%FF%FE")),
     400, m.Name.CHARACTERS),
    ("bell character", lambda p, f: f.post(p, f.body(name="张\x07三")), 400, m.Name.INVISIBLE),
    ("right-to-left override", lambda p, f: f.post(p, f.body(name="\u202e张三")), 400,
     m.Name.INVISIBLE),
    ("zero-width space in ID", lambda p, f: f.post(p, f.body(id_number="11010519491231\u200b002X")),
     400, m.IdNumber.CHARACTERS),
    ("very long name", lambda p, f: f.post(p, f.body(name="张" * 3000)), 400,
     m.Name.TOO_LONG.format(count=3000)),
    ("very long URL", lambda p, f: _raw(p, "GET", "/apply/training?course=" + "x" * 7000), 200,
     m.Form.COURSE_UNKNOWN),
    ("no CSRF token", lambda p, f: f.post(p, f.body(csrf_token="")), 400, m.Form.TOKEN_MISSING),
    ("CSRF token of another visitor",
     lambda p, f: f.post(p, f.body(csrf_token=Form.open(p, 7).fields[0][1])), 400, m.Form.TOKEN_FOREIGN),
    ("form without a session cookie",
     lambda p, f: _raw(p, "POST", "/apply/training", f.body(), FORM), 400, m.Form.NO_COOKIE),
    ("JSON instead of a form",
     lambda p, f: _raw(p, "POST", "/apply/training", b'{"name": "x"}',
                       {"Content-Type": "application/json", "Cookie": f.cookie}), 400, m.Form.TOKEN_MISSING),
    ("malformed idempotency key", lambda p, f: f.post(p, f.body(idempotency_key="1' OR '1'='1")),
     400, m.Form.REFUSED),
    ("unknown course", lambda p, f: f.post(p, f.body(course_id="nope")), 400,
     m.Choice.INVALID.format(label="报名课程")),
    ("course of another kind", lambda p, f: f.post(p, f.body(course_id=HOUSEKEEPING)), 400,
     m.Choice.INVALID.format(label="报名课程")),
    ("unknown course in the link", lambda p, f: _raw(p, "GET", "/apply/training?course=nope"), 200,
     m.Form.COURSE_UNKNOWN),
    ("forged confirmation link", lambda p, f: _raw(p, "GET", "/apply/submitted/QUJDMkRFRjM.x"),
     404, PAGES[404][1]),
    ("unknown course in the API", lambda p, f: _raw(p, "GET", "/api/courses/nope/availability"),
     404, "课程不存在"),
]  # fmt: skip
METHODS = [
    (method, path)
    for path in (
        "/apply/training",
        "/apply/status",
        "/apply/",
        "/healthz",
        "/",
        "/staff/login",
        "/api/courses/c01-jisuanji-wuji/availability",
    )  # fmt: skip
    for method in ("PUT", "DELETE", "PATCH", "TRACE")
]


@pytest.mark.slow
@pytest.mark.parametrize(("label", "case", "status", "message"), CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_answered_and_changes_nothing(
    site: Site, label: str, case: Case, status: int, message: str
) -> None:
    form = Form.open(site.port, 100 + CASES.index((label, case, status, message)))
    before = site.count()
    got, page = case(site.port, form)
    text = page.decode("utf-8", errors="replace")
    assert (got, message in text_of(text)) == (status, True), text_of(text)[:300]
    assert [word for word in FRAMEWORK if word in text] == []
    assert site.count() == before


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), METHODS)
def test_wrong_methods_are_refused_in_chinese(site: Site, method: str, path: str) -> None:
    before = site.count()
    status, page = _raw(site.port, method, path, b"", FORM)
    text = page.decode()
    assert (status, WRONG_METHOD in text) == (405, True)
    assert [word for word in FRAMEWORK if word in text] == []
    assert site.count() == before


@pytest.mark.slow
def test_a_replayed_post_gives_the_same_reference_and_one_application(site: Site) -> None:
    form = Form.open(site.port, 300)
    before = site.count()
    first = request(site.port, "POST", "/apply/training", form.body(), form.cookie)
    again = request(site.port, "POST", "/apply/training", form.body(), form.cookie)
    assert (first[0], again[0]) == (303, 303)
    assert first[1]["location"] == again[1]["location"]
    assert site.count() == before + 1
    other = Form.open(site.port, 300)  # the same person with a new form: told, not stored
    status, page = other.post(site.port, other.body())
    assert status == 409
    assert m.Form.DUPLICATE_WITH_REFERENCE.split("{")[0] in text_of(page.decode())
    assert site.count() == before + 1


@pytest.mark.slow
def test_a_closed_course_says_so_and_takes_only_the_waiting_list(site: Site) -> None:
    status, _, page = request(site.port, "GET", f"/apply/training?course={CLOSED}")
    assert status == 200
    assert "本期课程已截止。您仍然可以提交,我们会为您登记候补" in text_of(page.decode())
    form = Form.open(site.port, 400, course=CLOSED)
    status, headers, _ = request(site.port, "POST", "/apply/training", form.body(), form.cookie)
    assert status == 303
    _, _, page = request(site.port, "GET", headers["location"], cookie=form.cookie)
    assert "候补" in text_of(page.decode())
    store = Store(site.url)
    with store.read() as conn:
        row = conn.execute(
            sa.select(applications.c.state, applications.c.waitlisted).where(
                applications.c.course_id == CLOSED
            )
        ).one()
    store.dispose()
    assert tuple(row) == ("候补", True)


@pytest.mark.slow
def test_a_chunked_body_within_the_limit_is_taken(site: Site) -> None:
    form = Form.open(site.port, 500)
    before = site.count()
    status, _ = _raw(site.port, "POST", "/apply/training", form.body(),
                     {**FORM, "Cookie": form.cookie}, chunked=True)  # fmt: skip
    assert status == 303
    assert site.count() == before + 1


@pytest.mark.slow
@pytest.mark.parametrize(
    "path",
    ["//example.com", "//example.com/", "///example.com", "/\\example.com", "/%2F%2Fexample.com",
     "/%5Cexample.com", "//courses", "/.//courses", "/courses//example.com", "/%2Fcourses"],
)  # fmt: skip
def test_no_path_redirects_to_another_host(site: Site, path: str) -> None:
    status, headers, _ = _raw_headers(site.port, path)
    location = headers.get("location", "")
    target = urllib.parse.urlsplit(
        urllib.parse.urljoin(f"http://127.0.0.1:{site.port}/x", location)
    )
    assert status < 500 and target.netloc == f"127.0.0.1:{site.port}", (status, location)


def _raw_headers(port: int, path: str) -> tuple[int, dict[str, str], bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        conn.close()


@pytest.mark.slow
def test_the_server_log_holds_no_personal_data(site: Site) -> None:
    sent = [value for n in (*range(100, 100 + len(CASES)), 300, 400, 500)
            for key, value in person(n, OPEN, UNIT) if key in ("name", "id_number", "phone")]  # fmt: skip
    # Runs last in this module: the log then holds every request above.
    log = site.server.log
    assert re.search(r'"POST /apply/training" 4\d\d', log.read_text()), "the cases ran first"
    assert leaks([log], sent) == []
