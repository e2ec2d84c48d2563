"""Failed sign-ins: refused per account and address, per address, braked (never refused) per
account, codes capped per account; the address is the one the trusted proxy saw; the counts
live in the shared storage, so two apps on one Redis count as one."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pyotp
import pytest
import redis
import sqlalchemy as sa
from flask import Flask

from form_service.accounts import two_factor
from form_service.accounts.sign_in_limits import SignInLimits, account_key, network_of
from form_service.settings import UnsafeSettings
from form_service.staff import auth
from form_service.store.tables import audit_log
from form_service.web import services
from tests.support.apps import make_app
from tests.support.databases import redis_database
from tests.support.staff import SETUP, Staff, add_accounts, text_of

TOO_MANY = "从这个网络地址登录失败的次数太多,请 15 分钟后再试。忘记密码请联系市总工会管理员重设。"
NGINX = "127.0.0.1"  # the trusted proxy in front (PORTAL_PROXIES=1)


@pytest.fixture
def limited(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    """The app behind one trusted proxy, a short brake so the tests do not wait long."""
    app = make_app(db_url, tmp_path, PORTAL_PROXIES=1, PORTAL_RATELIMIT_LOGIN_DELAY="0.05")
    add_accounts(app, {"shizong": None})
    yield app
    services.store(app).dispose()


def _from(app: Flask, forwarded: str) -> Staff:
    """A browser whose requests reach the app through nginx, which appends `X-Forwarded-For`."""
    person = Staff(app.test_client())
    person.client.environ_base.update(REMOTE_ADDR=NGINX, HTTP_X_FORWARDED_FOR=forwarded)
    return person


def _failed_audit_ips(app: Flask) -> list[str]:
    with services.store(app).read() as conn:
        query = sa.select(audit_log.c.ip).where(audit_log.c.action == "login_failed")
        return list(conn.execute(query.order_by(audit_log.c.id)).scalars())


def test_the_eleventh_failure_for_one_account_from_one_address_is_refused(limited: Flask) -> None:
    guesser = _from(limited, "203.0.113.7")
    codes = [guesser.login("shizong", f"guess {n}").status_code for n in range(11)]
    assert codes == [200] * 10 + [429]
    refused = guesser.login("shizong")  # the right password too, from that address
    assert (refused.status_code, text_of(refused).count(TOO_MANY)) == (429, 1)
    assert 'value="shizong"' in refused.get_data(as_text=True)  # what was typed is kept
    assert _from(limited, "198.51.100.20").login("shizong").location == "/staff/"
    assert _failed_audit_ips(limited) == ["203.0.113.7"] * 10  # a refusal checks nothing


def test_fifty_failures_through_the_proxy_do_not_keep_the_owner_out(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = make_app(db_url, tmp_path, PORTAL_PROXIES=1, PORTAL_RATELIMIT_LOGIN_DELAY="0.05",
                   PORTAL_RATELIMIT_LOGIN_USER="5/15 minutes")  # fmt: skip
    try:
        add_accounts(app, {"shizong": None})
        totp, _ = _enrolled(app, "shizong")
        codes = []
        for n in range(50):
            # The guesser writes any X-Forwarded-For it likes; nginx appends the real address.
            guesser = _from(app, f"10.{n}.0.1, 203.0.113.7")
            codes.append(guesser.login("shizong", f"guess {n}").status_code)
        assert codes == [200] * 10 + [429] * 40
        assert set(_failed_audit_ips(app)) == {"203.0.113.7"}
        owner = _from(app, "198.51.100.20")
        with caplog.at_level(logging.WARNING, logger="portal.sign_in"):
            assert owner.login("shizong", code=totp.now()).location == "/staff/"
        # Ten failures filled the account's brake (5 here): the owner waited, and got in.
        assert "sign-in brake on for account 'shizong': each try waits" in caplog.messages
        assert "shizong" in text_of(owner.client.get("/staff/"))
    finally:
        services.store(app).dispose()


def test_one_address_trying_many_accounts_is_refused_after_twenty(limited: Flask) -> None:
    sprayer = _from(limited, "203.0.113.8")
    codes = [sprayer.login(f"user{n}", "password1234").status_code for n in range(21)]
    assert codes == [200] * 20 + [429]
    assert text_of(sprayer.login("shizong")).count(TOO_MANY) == 1
    assert _from(limited, "203.0.113.9").login("shizong").location == "/staff/"


def test_ipv6_addresses_count_by_their_64_network(limited: Flask) -> None:
    codes = [
        _from(limited, f"2001:db8:1:2::{n:x}").login("shizong", "wrong").status_code
        for n in range(1, 12)
    ]
    assert codes == [200] * 10 + [429]
    assert _from(limited, "2001:db8:1:3::1").login("shizong").location == "/staff/"
    assert (network_of("2001:db8:1:2:aaaa::1"), network_of("::ffff:203.0.113.7")) == (
        "2001:db8:1:2::/64",
        "203.0.113.7",
    )


def _enrolled(app: Flask, username: str) -> tuple[pyotp.TOTP, list[str]]:
    box = two_factor.SecretBox(app.config["PORTAL_ID_KEY"])
    with services.store(app).write() as conn:
        uri, codes = two_factor.enable(conn, username=username, box=box, by=SETUP)
    return pyotp.parse_uri(uri), codes  # type: ignore[return-value]


def test_wrong_codes_are_capped_per_account_whatever_the_address(
    db_url: str, tmp_path: Path
) -> None:
    app = make_app(db_url, tmp_path, PORTAL_PROXIES=1, PORTAL_RATELIMIT_LOGIN_CODE="3/hour")
    try:
        add_accounts(app, {"shizong": None})
        totp, _ = _enrolled(app, "shizong")
        wrong = "000000" if totp.now() != "000000" else "111111"
        pages = [_from(app, f"203.0.113.{n}").login("shizong", code=wrong) for n in range(4)]
        assert [p.status_code for p in pages] == [200, 200, 200, 429]
        assert text_of(pages[3]).count(auth.TOO_MANY_CODES.format(minutes=60)) == 1
        assert text_of(pages[0]).count(auth.WRONG_CODE) == 1
    finally:
        services.store(app).dispose()


def test_two_apps_on_one_redis_count_as_one(db_url: str, tmp_path: Path) -> None:
    with redis_database(13) as url:
        apps = [
            make_app(db_url, tmp_path / name, RATELIMIT_STORAGE_URI=url, PORTAL_PROXIES=1)
            for name in ("a", "b")
        ]
        try:
            add_accounts(apps[0], {"shizong": None})
            codes = [
                _from(apps[n % 2], "203.0.113.7").login("shizong", "wrong").status_code
                for n in range(11)
            ]
            assert codes == [200] * 10 + [429]
            assert _from(apps[0], "203.0.113.7").login("shizong").status_code == 429
            assert _from(apps[1], "198.51.100.20").login("shizong").location == "/staff/"
            keys = sorted(k.decode() for k in redis.Redis.from_url(url).keys("*portal-sign-in*"))
            who = account_key("shizong")
            assert [re.sub(r"^LIMITS:", "", k) for k in keys] == [
                "LIMITER/portal-sign-in/ip/203.0.113.7/20/15/minute",
                f"LIMITER/portal-sign-in/user-ip/{who}/203.0.113.7/10/15/minute",
                f"LIMITER/portal-sign-in/user/{who}/20/15/minute",
            ]
            assert not [k for k in keys if "shizong" in k]  # the name is hashed in the key
        finally:
            for app in apps:
                services.store(app).dispose()


def test_without_redis_each_process_counts_alone_and_says_so(
    db_url: str, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Nothing listens on port 1: the storage does not answer.
    app = make_app(db_url, tmp_path, RATELIMIT_STORAGE_URI="redis://127.0.0.1:1/0")
    try:
        add_accounts(app, {"shizong": None})
        person = Staff(app.test_client())
        with caplog.at_level(logging.WARNING, logger="portal.sign_in"):
            codes = [person.login("shizong", "wrong").status_code for _ in range(11)]
        assert codes == [200] * 10 + [429]
        assert (
            "sign-in limit storage unreachable (ConnectionError): counting here for a while"
            in caplog.messages
        )
    finally:
        services.store(app).dispose()


@pytest.mark.parametrize(
    ("settings", "problem"),
    [
        (
            {"PORTAL_RATELIMIT_LOGIN_USER_IP": "ten a minute"},
            "PORTAL_RATELIMIT_LOGIN_USER_IP 写法不对:'ten a minute'(应像 10/15 minutes 或 10/hour)",
        ),
        (
            {"PORTAL_RATELIMIT_LOGIN_DELAY": "60"},
            "PORTAL_RATELIMIT_LOGIN_DELAY 应是 0 到 10 之间的秒数",
        ),
    ],
)
def test_a_limit_that_cannot_be_read_stops_the_start(
    db_url: str, tmp_path: Path, settings: dict[str, str], problem: str
) -> None:
    with pytest.raises(UnsafeSettings) as refused:
        make_app(db_url, tmp_path, **settings)
    assert refused.value.problems == [problem]


def test_the_buckets_count_failures_only() -> None:
    limits = SignInLimits(storage_uri="memory://", user_ip="2/hour", ip="3/hour",
                          user="4/hour", code="1/hour", delay=1.5)  # fmt: skip
    verdicts = []
    for address in ("10.0.0.1", "10.0.0.1", "10.0.0.2", "10.0.0.3", "10.0.0.4"):
        verdicts.append(limits.check(username="Zhang", address=address))
        limits.failed(username="zhang ", address=address)
    assert [(v.refused, v.delay) for v in verdicts] == [
        ("", 0),
        ("", 0),
        ("", 0),
        ("", 0),
        ("", 1.5),
    ]
    assert limits.check(username="zhang", address="10.0.0.1").refused == "user_ip"
    limits.failed(username="zhang", address="10.0.0.9", code_step=True)
    code = limits.check(username="zhang", address="10.0.0.8", code_step=True)
    assert (code.refused, code.retry_minutes) == ("code", 60)
