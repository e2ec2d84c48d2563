"""People applying over HTTP while faults happen, every outcome recorded (Jepsen's set test).

The client is tests/support/http.py (bench/bench_submit.py drives the same one); this adds what
a fault test needs: each person gets their own name, ID and phone, and each submission is
recorded as `ok` (the 303 to the confirmation came back), `fail` (a definite refusal: a 4xx)
or `info` (indeterminate: the connection broke, or a 5xx). Afterwards every `ok` must be in the
store, intact; an `info` may be there or not, but whole if it is; a `fail` must not be there.
"""

from __future__ import annotations

import http.client
import os
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from site_builder.catalog import load_catalogue, today
from tests.support.http import CSRF, KEY, REFERENCE, STAFF_TOKEN, cookie_from, request
from tests.support.people import numbered_id, person_name, person_phone
from tests.support.settings import REAL_CONTENT

NETWORK = (OSError, http.client.HTTPException)
# Fault times are random but replayable: the seed is printed with the figures of each run.
FAULT_SEED = int(os.environ.get("PORTAL_FAULT_SEED", "2011"))


def open_course() -> tuple[str, str]:
    """An open skills course of the real content on PORTAL_TODAY, and a district."""
    catalogue = load_catalogue(REAL_CONTENT)
    day = today()
    for course in catalogue.courses.values():
        if course.kind == "skills" and course.accepts_sign_ups_on(day):
            return course.id, catalogue.active_districts()[0].id
    raise SystemExit("no open skills course in content/ on PORTAL_TODAY")


def answers(n: int, course: str, unit: str) -> list[tuple[str, str]]:
    """The training form's answers of person `n` (all named 张三, one phone), as posted."""
    return [
        ("name", "张三"),
        ("id_number", numbered_id(n)),
        ("phone", "13912345678"),
        ("household_place", "外省市"),
        ("household_type", "农业"),
        ("target_groups", "农民工"),
        ("education", "初中"),
        ("employment_status", "失业(未登记)"),
        ("unit_id", unit),
        ("consent_privacy", "y"),
        ("consent_id_number", "y"),
        ("course_id", course),
        ("certificate_held", ""),
        ("class_times", "工作日晚上"),
        ("class_times", "双休日"),
        ("need_job_referral", "是"),
    ]


def person(n: int, course: str, unit: str) -> list[tuple[str, str]]:
    """The answers of person `n`, with a name and a phone of their own."""
    own = {"name": person_name(n), "phone": person_phone(n)}
    return [(k, own.get(k, v)) for k, v in answers(n, course, unit)]


@dataclass
class Attempt:
    """One submission: what was sent and what the client learned."""

    n: int
    key: str
    fields: list[tuple[str, str]]
    outcome: str = "pending"
    status: int | None = None
    reference: str | None = None

    @property
    def id_number(self) -> str:
        return numbered_id(self.n)


@dataclass
class Recorder:
    """Everything the clients saw, shared by their threads."""

    attempts: list[Attempt] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    errors: Counter[str] = field(default_factory=Counter)
    server_errors: list[tuple[int, str, bytes]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def saw(self, status: int, what: str, body: bytes = b"") -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors.append((status, what, body))

    def broke(self, exc: BaseException) -> None:
        with self.lock:
            self.errors[type(exc).__name__] += 1

    def add(self, attempt: Attempt) -> None:
        with self.lock:
            self.attempts.append(attempt)

    def by_outcome(self, outcome: str) -> list[Attempt]:
        return [a for a in self.attempts if a.outcome == outcome]


def apply_once(
    port: int, n: int, *, course: str, unit: str, record: Recorder, read_reference: bool = True
) -> Attempt | None:
    """One person's whole flow; None when it broke before the submission was sent."""
    try:
        status, headers, page = request(port, "GET", f"/apply/training?course={course}")
        record.saw(status, "GET form", page)
        csrf, key = CSRF.search(page), KEY.search(page)
        if status != 200 or not csrf or not key:
            return None
        cookie = cookie_from(headers)
        fields = [
            ("csrf_token", csrf.group(1).decode()),
            ("idempotency_key", key.group(1).decode()),
        ]
        fields += person(n, course, unit)
        body = urllib.parse.urlencode([*fields, ("action", "continue")]).encode()
        status, _, page = request(port, "POST", "/apply/training", body, cookie)
        record.saw(status, "POST continue", page)
        if status != 200:
            return None
    except NETWORK as exc:
        record.broke(exc)
        return None
    attempt = Attempt(n=n, key=key.group(1).decode(), fields=fields)
    record.add(attempt)
    try:
        body = urllib.parse.urlencode([*fields, ("action", "submit")]).encode()
        status, headers, page = request(port, "POST", "/apply/training", body, cookie)
    except NETWORK as exc:
        record.broke(exc)
        attempt.outcome = "info"
        return attempt
    record.saw(status, "POST submit", page)
    attempt.status = status
    if status == 303:
        attempt.outcome = "ok"
    else:
        attempt.outcome = "info" if status >= 500 else "fail"
        return attempt
    if read_reference:
        try:
            status, _, page = request(port, "GET", headers["location"], cookie=cookie)
            record.saw(status, "GET confirmation", page)
            found = REFERENCE.search(page)
            attempt.reference = found.group(1).decode() if found else None
        except NETWORK as exc:
            record.broke(exc)
    return attempt


class Applicants:
    """`clients` threads applying one after another until stopped (a context manager)."""

    def __init__(self, port: int, *, clients: int, course: str, unit: str, first: int = 0) -> None:
        self.port, self.clients, self.course, self.unit, self.first = (
            port,
            clients,
            course,
            unit,
            first,
        )
        self.record = Recorder()
        self._stop = threading.Event()
        self._threads: list[threading.Thread] = []

    def _client(self, index: int) -> None:
        n = self.first + index * 1_000_000
        while not self._stop.is_set():
            done = apply_once(self.port, n, course=self.course, unit=self.unit, record=self.record)
            n += 1
            if done is None:
                time.sleep(0.05)  # the server is down or refusing: do not spin

    def __enter__(self) -> Applicants:
        self._threads = [
            threading.Thread(target=self._client, args=(i,), daemon=True)
            for i in range(self.clients)
        ]
        for thread in self._threads:
            thread.start()
        return self

    def stop(self) -> Recorder:
        self._stop.set()
        for thread in self._threads:
            thread.join(timeout=60)
        return self.record

    def __exit__(self, *exc: object) -> None:
        self.stop()


class StaffBrowser:
    """A member of staff using the console over HTTP (cookie kept, CSRF token read from pages)."""

    def __init__(self, port: int, record: Recorder) -> None:
        self.port, self.record = port, record
        self.cookie: str | None = None
        self.token = ""

    def get(self, path: str) -> tuple[int, dict[str, str], bytes]:
        status, headers, page = request(self.port, "GET", path, cookie=self.cookie)
        self.record.saw(status, f"GET {path}", page)
        self.cookie = cookie_from(headers, self.cookie)
        found = STAFF_TOKEN.search(page)
        if found:
            self.token = found.group(1).decode()
        return status, headers, page

    def post(self, path: str, data: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode([("csrf_token", self.token), *data]).encode()
        status, headers, page = request(self.port, "POST", path, body, self.cookie)
        self.record.saw(status, f"POST {path}", page)
        self.cookie = cookie_from(headers, self.cookie)
        return status, headers, page

    def login(self, username: str, password: str, code: str = "") -> int:
        """Sign in: the password, then (an enrolled account, `code` given) the code step.

        Return the last status: 302 only when a session started (a pending sign-in that still
        waits for a code or a first enrolment is not one, and gives that step's 302 back as
        a 401 so no caller takes it for being signed in).
        """
        self.get("/staff/login")
        data = [("username", username), ("password", password)]
        status, headers, _ = self.post("/staff/login", data)
        if status == 302 and headers.get("location", "").startswith("/staff/login/code") and code:
            self.get("/staff/login/code")
            status, headers, _ = self.post("/staff/login/code", [("code", code)])
        if status == 302 and headers.get("location", "").startswith("/staff/login"):
            return 401
        if status == 302:
            self.get("/staff/")
        return status
