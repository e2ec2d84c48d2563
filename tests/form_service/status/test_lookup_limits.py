"""Failed progress look-ups are counted per client network: one IPv6 subscriber's /64 is one
client, whichever of its addresses asks; another network is not touched."""

from __future__ import annotations

from pathlib import Path

from flask import Flask

from form_service import messages as m
from form_service.web import services
from tests.support.apps import make_app
from tests.support.pages import input_value, text_of


def _failed_lookup(app: Flask, address: str) -> int:
    client = app.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    token = input_value(client.get("/apply/status").get_data(as_text=True), "csrf_token")
    data = {"csrf_token": token, "reference": "ABC2DEF3", "phone_last4": "0000"}
    response = client.post("/apply/status", data=data)
    if response.status_code == 429:
        assert m.Form.TOO_MANY in text_of(response.get_data(as_text=True))
    return response.status_code


def test_an_ipv6_subscriber_counts_as_one_client(
    db_url: str, form_content: Path, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, content=form_content, PORTAL_RATELIMIT_LOOKUP="3/minute")
    try:
        statuses = [_failed_lookup(app, f"2001:db8:5:6::{n}") for n in range(1, 5)]
        assert statuses == [404, 404, 404, 429]
        assert _failed_lookup(app, "2001:db8:5:7::1") == 404  # the next /64: someone else
        assert [_failed_lookup(app, "203.0.113.5") for _ in range(4)] == [404, 404, 404, 429]
    finally:
        services.store(app).dispose()
