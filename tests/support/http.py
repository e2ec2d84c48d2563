"""A bare HTTP/1.1 client for servers the tests start: one request per connection, no retries."""

from __future__ import annotations

import http.client
import re

CSRF = re.compile(rb'name="csrf_token" type="hidden" value="([^"]+)"')
KEY = re.compile(rb'name="idempotency_key" value="([0-9a-f]{32})"')
REFERENCE = re.compile(rb'id="reference" class="reference">([A-Z0-9]{8})<')
STAFF_TOKEN = re.compile(rb'name="csrf_token" value="([^"]+)"')


def request(
    port: int, method: str, path: str, body: bytes | None = None, cookie: str | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Send one request to 127.0.0.1:`port`; return the status, headers (lower-case) and body."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Content-Type": "application/x-www-form-urlencoded"} if body is not None else {}
    if cookie:
        headers["Cookie"] = cookie
    conn.request(method, path, body=body, headers=headers)
    response = conn.getresponse()
    data = response.read()
    result = (response.status, {k.lower(): v for k, v in response.getheaders()}, data)
    conn.close()
    return result


def cookie_from(headers: dict[str, str], current: str | None = None) -> str | None:
    """The session cookie a response sets, or the one already held."""
    found = headers.get("set-cookie", "")
    return found.split(";", 1)[0] if found else current
