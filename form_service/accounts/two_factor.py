"""The second factor of staff sign-in: TOTP (RFC 6238) with one-time recovery codes.

Any authenticator app that reads `otpauth://` QR codes works (腾讯身份验证器, Google
Authenticator, Microsoft Authenticator…): SHA-1, 6 digits, 30 seconds, the app defaults. The
secret is stored encrypted with a key derived from `PORTAL_ID_KEY` for this purpose alone. A code
is accepted one step either side of now (clock drift) and only once: the newest accepted
time-step is kept per account and a step at or before it is refused (RFC 6238 §5.2), so a code
seen over a shoulder or replayed from a log opens nothing. Every enrolment, reset, failed code
and spent recovery code is audited here, so the console and `portal staff 2fa` are one call each.
"""

from __future__ import annotations

import hmac
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pyotp
import segno
import sqlalchemy as sa

from form_service.accounts import audit, recovery_codes
from form_service.accounts.audit import Actor
from form_service.accounts.users import AccountError, StaffUser, end_sessions
from form_service.store.crypto import FernetBox, derive_key
from form_service.store.tables import staff_second_factors, staff_users

ISSUER = "上海工会培训门户"
DIGITS = 6
PERIOD = 30
DRIFT_STEPS = 1
SALT = b"portal-staff-2fa-v1"  # keeps these keys apart from the ID-number keys of the same secret
# What the audit log and the session record say about how a sign-in passed the second factor.
METHODS = {"totp": "验证器动态码", "recovery": "恢复码", "enrolled": "首次登录时启用"}


class SecretBox(FernetBox):
    """Encrypt TOTP secrets and key recovery-code hashes with keys derived from the ID key."""

    def __init__(self, id_key: str) -> None:
        super().__init__(id_key, salt=SALT, purpose=b"totp-secret")
        self.recovery_key = derive_key(id_key, salt=SALT, purpose=b"recovery-code")


@dataclass(frozen=True)
class Pending:
    """A secret made for an account that has not yet proved its authenticator holds it."""

    secret: str
    uri: str

    @property
    def grouped(self) -> str:
        """The secret in groups of four, for typing it into an app by hand."""
        return " ".join(self.secret[i : i + 4] for i in range(0, len(self.secret), 4))

    def qr_svg(self) -> str:
        """The `otpauth://` URI as an inline SVG QR code (drawn here, nothing fetched)."""
        code = segno.make(self.uri, error="m")
        return str(code.svg_inline(scale=4, title="两步验证二维码"))


@dataclass(frozen=True)
class State:
    """Whether an account has a confirmed second factor, since when, and its codes left."""

    enrolled: bool
    confirmed_at: datetime | None = None
    recovery_left: int = 0


def provisioning_uri(*, secret: str, username: str) -> str:
    """Return the `otpauth://totp/…` URI an authenticator app reads from the QR code."""
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    return totp.provisioning_uri(name=username, issuer_name=ISSUER)


def _factor(conn: sa.Connection, user_id: int) -> sa.Row | None:
    query = sa.select(staff_second_factors).where(staff_second_factors.c.user_id == user_id)
    return conn.execute(query).first()


def state(conn: sa.Connection, *, user_id: int) -> State:
    """Return the account's second-factor state."""
    row = _factor(conn, user_id)
    if row is None or row.confirmed_at is None:
        return State(enrolled=False)
    left = recovery_codes.left(conn, user_id=user_id)
    return State(enrolled=True, confirmed_at=row.confirmed_at, recovery_left=left)


def is_enrolled(conn: sa.Connection, *, user_id: int) -> bool:
    """Tell whether the account must give a code after its password."""
    row = _factor(conn, user_id)
    return row is not None and row.confirmed_at is not None


def begin(conn: sa.Connection, *, user: StaffUser, box: SecretBox) -> Pending:
    """Return the account's unconfirmed secret, making one if there is none yet."""
    row = _factor(conn, user.id)
    if row is not None and row.confirmed_at is not None:
        raise AccountError("这个账号已经启用了两步验证。如需更换手机,请联系市总工会管理员重置。")
    if row is None:
        secret = pyotp.random_base32()
        conn.execute(
            staff_second_factors.insert().values(
                user_id=user.id, secret_encrypted=box.encrypt(secret), created_at=_now()
            )
        )
    else:
        # Reloading the page shows the same QR code: a phone that scanned it stays right.
        secret = box.decrypt(row.secret_encrypted)
    return Pending(secret, provisioning_uri(secret=secret, username=user.username))


def confirm(
    conn: sa.Connection, *, user: StaffUser, box: SecretBox, code: str, by: Actor
) -> list[str]:
    """Check a first code against the pending secret, enrol, return the recovery codes."""
    row = _factor(conn, user.id)
    if row is None or row.confirmed_at is not None:
        raise AccountError("请重新打开启用两步验证的页面。")
    typed = recovery_codes.normalise(code)
    step = _matching_step(box.decrypt(row.secret_encrypted), typed)
    if step is None:
        raise AccountError(
            "验证码不正确。请确认验证器里已经添加了这个账号,再输入它现在显示的 6 位数字。"
        )
    conn.execute(
        staff_second_factors.update()
        .where(staff_second_factors.c.user_id == user.id)
        .values(confirmed_at=_now(), last_step=step)
    )
    return _issue_recovery_codes(conn, user=user, box=box, by=by, method="验证器")


def enable(
    conn: sa.Connection, *, username: str, box: SecretBox, by: Actor
) -> tuple[str, list[str]]:
    """Enrol an account from the command line: return its `otpauth://` URI and recovery codes."""
    user = _account(conn, username)
    if is_enrolled(conn, user_id=user.id):
        raise AccountError(
            f"账号“{username}”已经启用了两步验证;要换一个,请先运行 portal staff 2fa reset {username}。"
        )
    conn.execute(staff_second_factors.delete().where(staff_second_factors.c.user_id == user.id))
    secret = pyotp.random_base32()
    conn.execute(
        staff_second_factors.insert().values(
            user_id=user.id,
            secret_encrypted=box.encrypt(secret),
            created_at=_now(),
            confirmed_at=_now(),
        )
    )
    codes = _issue_recovery_codes(conn, user=user, box=box, by=by, method="命令行")
    return provisioning_uri(secret=secret, username=username), codes


def _issue_recovery_codes(
    conn: sa.Connection, *, user: StaffUser, box: SecretBox, by: Actor, method: str
) -> list[str]:
    """Finish an enrolment: replace the recovery codes, audit how it was done, return the codes."""
    codes = recovery_codes.replace(conn, user_id=user.id, key=box.recovery_key)
    _audit(conn, "2fa_enrol", user=user, by=by, detail={"method": method})
    return codes


def _audit(
    conn: sa.Connection,
    action: str,
    *,
    user: StaffUser,
    by: Actor,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record what `by` did to the second factor of `user`'s account."""
    audit.record(
        conn, by=by, action=action, unit_id=user.unit_id, target=user.username, detail=detail
    )


def verify(conn: sa.Connection, *, user: StaffUser, box: SecretBox, code: str, by: Actor) -> str:
    """Spend a code of an enrolled account: return "totp" or "recovery", or "" (audited)."""
    row = _factor(conn, user.id)
    typed = recovery_codes.normalise(code)
    method = ""
    if row is not None and row.confirmed_at is not None:
        if _six_digits(typed):
            step = _matching_step(box.decrypt(row.secret_encrypted), typed)
            if step is not None and _spend_step(conn, user.id, step):
                method = "totp"
        elif recovery_codes.use(conn, user_id=user.id, key=box.recovery_key, code=typed):
            method = "recovery"
            left = recovery_codes.left(conn, user_id=user.id)
            _audit(conn, "2fa_recovery", user=user, by=by, detail={"left": left})
    if not method:
        _audit(conn, "2fa_failed", user=user, by=by)
    return method


def reset(conn: sa.Connection, *, username: str, by: Actor) -> int:
    """Remove the account's second factor and codes, end its sessions; return sessions ended."""
    user = _account(conn, username)
    conn.execute(staff_second_factors.delete().where(staff_second_factors.c.user_id == user.id))
    recovery_codes.forget(conn, user_id=user.id)
    ended = end_sessions(conn, user_id=user.id, reason="2fa_reset")
    _audit(conn, "2fa_reset", user=user, by=by, detail={"count": ended})
    return ended


def _account(conn: sa.Connection, username: str) -> StaffUser:
    query = sa.select(staff_users).where(staff_users.c.username == username.strip().lower())
    row = conn.execute(query).first()
    if row is None:
        raise AccountError(f"没有用户名为“{username}”的账号。")
    return StaffUser(row.id, row.username, row.role, row.unit_id)


def _matching_step(secret: str, typed: str) -> int | None:
    """Return the newest time-step within the drift whose code is `typed`, or None."""
    if not _six_digits(typed):
        return None
    totp = pyotp.TOTP(secret, digits=DIGITS, interval=PERIOD)
    now = int(time.time()) // PERIOD
    for step in range(now + DRIFT_STEPS, now - DRIFT_STEPS - 1, -1):
        if hmac.compare_digest(totp.at(step * PERIOD), typed):
            return step
    return None


def _six_digits(typed: str) -> bool:
    # ASCII only: str.isdigit() also accepts other scripts' digits (e.g. ١٢٣), never a TOTP code.
    return len(typed) == DIGITS and typed.isascii() and typed.isdigit()


def _spend_step(conn: sa.Connection, user_id: int, step: int) -> bool:
    """Record `step` as used unless it, or a later one, already was (one winner in a race)."""
    factors = staff_second_factors.c
    spent = conn.execute(
        staff_second_factors.update()
        .where(
            factors.user_id == user_id,
            sa.or_(factors.last_step.is_(None), factors.last_step < step),
        )
        .values(last_step=step)
    )
    return spent.rowcount == 1


def _now() -> datetime:
    return datetime.now(UTC)
