"""People applying over HTTP while faults happen, every outcome recorded (Jepsen's set test).

The client code is bench/bench_submit.py's (requests, answers, ID numbers); this adds what a
fault test needs: each person gets their own name, ID and phone, and each submission is
recorded as `ok` (the 303 to the confirmation came back), `fail` (a definite refusal: a 4xx)
or `info` (indeterminate: the connection broke, or a 5xx). Afterwards every `ok` must be in the
store, intact; an `info` may be there or not, but whole if it is; a `fail` must not be there.
"""

from __future__ import annotations

import http.client
import re
import threading
import time
import urllib.parse
from collections import Counter
from dataclasses import dataclass, field

from bench.bench_submit import CSRF, KEY, REFERENCE, _request, answers, id_number

NETWORK = (OSError, http.client.HTTPException)
DIGITS = "零壹贰叁肆伍陆柒捌玖"
STAFF_TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


def person_name(n: int) -> str:
    """A valid, distinct Chinese name for person `n` (written with the formal numerals)."""
    return "测试" + "".join(DIGITS[int(d)] for d in str(n))


def person_phone(n: int) -> str:
    return f"139{n % 10**8:08d}"


def person(n: int, course: str, unit: str) -> list[tuple[str, str]]:
    """bench_submit's answers for person `n`, with a name and a phone of their own."""
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
        return id_number(self.n)


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


def _cookie(headers: dict[str, str], current: str | None = None) -> str | None:
    found = headers.get("set-cookie", "")
    return found.split(";", 1)[0] if found else current


def apply_once(
    port: int, n: int, *, course: str, unit: str, record: Recorder, read_reference: bool = True
) -> Attempt | None:
    """One person's whole flow; None when it broke before the submission was sent."""
    try:
        status, headers, page = _request(port, "GET", f"/apply/training?course={course}")
        record.saw(status, "GET form", page)
        csrf, key = CSRF.search(page), KEY.search(page)
        if status != 200 or not csrf or not key:
            return None
        cookie = _cookie(headers)
        fields = [
            ("csrf_token", csrf.group(1).decode()),
            ("idempotency_key", key.group(1).decode()),
        ]
        fields += person(n, course, unit)
        body = urllib.parse.urlencode([*fields, ("action", "continue")]).encode()
        status, _, page = _request(port, "POST", "/apply/training", body, cookie)
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
        status, headers, page = _request(port, "POST", "/apply/training", body, cookie)
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
            status, _, page = _request(port, "GET", headers["location"], cookie=cookie)
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
        status, headers, page = _request(self.port, "GET", path, cookie=self.cookie)
        self.record.saw(status, f"GET {path}", page)
        self.cookie = _cookie(headers, self.cookie)
        found = STAFF_TOKEN.search(page)
        if found:
            self.token = found.group(1).decode()
        return status, headers, page

    def post(self, path: str, data: list[tuple[str, str]]) -> tuple[int, dict[str, str], bytes]:
        body = urllib.parse.urlencode([("csrf_token", self.token), *data]).encode()
        status, headers, page = _request(self.port, "POST", path, body, self.cookie)
        self.record.saw(status, f"POST {path}", page)
        self.cookie = _cookie(headers, self.cookie)
        return status, headers, page

    def login(self, username: str, password: str) -> int:
        self.get("/staff/login")
        status, _, _ = self.post("/staff/login", [("username", username), ("password", password)])
        if status == 302:
            self.get("/staff/")
        return status
