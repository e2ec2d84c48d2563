"""Staff accounts (argon2id passwords) and server-side sessions that really end.

A session is a random token kept in the signed Flask cookie; the store keeps only its SHA-256.
It ends on the server at logout, when the account is disabled or its password reset, after
`IDLE` without a request and `ABSOLUTE` after login, so a cookie copied before any of these
opens nothing afterwards. Roles: `admin` (市总工会, every unit) and `unit` (one 区县总工会 or
局(产业)工会, and the legacy units merged into it, e.g. 卢湾 for 黄浦).
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.messages import Refusal
from form_service.store.tables import staff_sessions, staff_users
from site_builder.catalog import Catalogue

IDLE = timedelta(minutes=30)
ABSOLUTE = timedelta(hours=8)
# last_seen_at is written at most this often, so reading pages does not write on every request.
TOUCH_EVERY = timedelta(seconds=60)
ROLES = {"admin": "市总工会(全市)", "unit": "区县/局(产业)工会"}
PASSWORD_MIN = 10
PASSWORD_MAX = 256
_USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{2,39}", re.ASCII)
_COMMON = {"1234567890", "12345678910", "qwertyuiop", "password123", "1qaz2wsx3edc", "abcd123456"}
_CONTEXT_WORDS = ("gonghui", "shanghai", "union", "portal", "password", "123456", "工会", "上海")


_hasher = PasswordHasher()  # argon2id, RFC 9106 low-memory profile (t=3, m=64 MiB, p=4)
_DUMMY_HASH = _hasher.hash(secrets.token_hex(16))


class AccountError(Refusal):
    """A request about accounts that cannot be done; `message` is for the person."""


@dataclass(frozen=True)
class StaffUser:
    """A signed-in member of staff (Flask-Login's user); `token` names the session."""

    id: int
    username: str
    role: str
    unit_id: str | None
    token: str = ""
    # How this session got past the password: "totp", "recovery", "enrolled" or "" (none).
    second_factor: str = ""

    is_authenticated = True
    is_active = True
    is_anonymous = False

    def get_id(self) -> str:
        return self.token

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    def scope(self, catalogue: Catalogue) -> frozenset[str] | None:
        """Return the routed unit ids this person may see, or None for every unit."""
        if self.is_admin:
            return None
        # A unit account without a unit sees nothing, never everything.
        return catalogue.units_reporting_to(self.unit_id) or frozenset()


def _now() -> datetime:
    return datetime.now(UTC)


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("ascii", "replace")).hexdigest()


def check_password(password: str, *, username: str) -> None:
    """Raise AccountError unless `password` is long enough and not an obvious guess."""
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"密码至少 {PASSWORD_MIN} 个字符(可以用一句容易记的话)。")
    if len(password) > PASSWORD_MAX:
        raise AccountError(f"密码不能超过 {PASSWORD_MAX} 个字符。")
    lowered = password.lower()
    if lowered in _COMMON or len(set(password)) < 4 or username.lower() in lowered:
        raise AccountError("这个密码太容易被猜到,请换一个。")
    if any(lowered.replace(word, "") == "" or lowered == word * 2 for word in _CONTEXT_WORDS):
        raise AccountError("这个密码太容易被猜到,请换一个。")


def add_staff(
    conn: sa.Connection,
    *,
    username: str,
    role: str,
    unit_id: str | None,
    password: str,
    catalogue: Catalogue,
    by: Actor,
) -> int:
    """Create an account, audit it as done `by` someone, and return its id."""
    if not _USERNAME.fullmatch(username):
        raise AccountError(
            "用户名由 3–40 个小写字母、数字、点、下划线或连字符组成,以字母或数字开头。"
        )
    if role not in ROLES:
        raise AccountError("角色只能是 admin(市总工会)或 unit(区县/局(产业)工会)。")
    if role == "admin" and unit_id:
        raise AccountError("市总工会管理员不属于某个单位,请不要指定 --unit。")
    if role == "unit":
        unit = catalogue.units.get(unit_id or "")
        if unit is None or not unit.active:
            raise AccountError(f"没有在用的单位“{unit_id or ''}”,请用 units.yaml 里的单位 id。")
    check_password(password, username=username)
    if conn.execute(sa.select(staff_users.c.id).where(staff_users.c.username == username)).first():
        raise AccountError(f"用户名“{username}”已经存在。")
    now = _now()
    inserted = conn.execute(
        staff_users.insert()
        .values(
            username=username,
            password_hash=_hasher.hash(password),
            role=role,
            unit_id=unit_id if role == "unit" else None,
            created_at=now,
            password_changed_at=now,
        )
        .returning(staff_users.c.id)
    )
    audit.record(
        conn,
        by=by,
        action="staff_add",
        unit_id=unit_id if role == "unit" else None,
        target=username,
        detail={"role": role},
    )
    return int(inserted.scalar_one())


def _user_id(conn: sa.Connection, username: str) -> int:
    found = conn.execute(sa.select(staff_users.c.id).where(staff_users.c.username == username))
    row = found.first()
    if row is None:
        raise AccountError(f"没有用户名为“{username}”的账号。")
    return int(row.id)


def end_sessions(conn: sa.Connection, *, user_id: int, reason: str) -> int:
    """End every open session of a user; return how many were open."""
    return conn.execute(
        staff_sessions.update()
        .where(staff_sessions.c.user_id == user_id, staff_sessions.c.ended_at.is_(None))
        .values(ended_at=_now(), end_reason=reason)
    ).rowcount


def set_disabled(conn: sa.Connection, *, username: str, disabled: bool, by: Actor) -> None:
    """Disable (and sign out everywhere) or re-enable an account; audit it."""
    user_id = _user_id(conn, username)
    conn.execute(
        staff_users.update()
        .where(staff_users.c.id == user_id)
        .values(disabled_at=_now() if disabled else None)
    )
    if disabled:
        end_sessions(conn, user_id=user_id, reason="disabled")
    audit.record(
        conn, by=by, action="staff_disable", target=username, detail={"enabled": not disabled}
    )


def reset_password(conn: sa.Connection, *, username: str, password: str, by: Actor) -> None:
    """Set a new password, end the account's sessions and audit it."""
    user_id = _user_id(conn, username)
    check_password(password, username=username)
    conn.execute(
        staff_users.update()
        .where(staff_users.c.id == user_id)
        .values(password_hash=_hasher.hash(password), password_changed_at=_now())
    )
    end_sessions(conn, user_id=user_id, reason="password_reset")
    audit.record(conn, by=by, action="staff_reset", target=username, detail={})


def authenticate(conn: sa.Connection, *, username: str, password: str) -> StaffUser | None:
    """Return the active account for these credentials, or None (same work either way)."""
    row = conn.execute(
        sa.select(staff_users).where(staff_users.c.username == username.strip().lower())
    ).first()
    try:
        _hasher.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None or row.disabled_at is not None:
        return None
    if _hasher.check_needs_rehash(row.password_hash):
        conn.execute(
            staff_users.update()
            .where(staff_users.c.id == row.id)
            .values(password_hash=_hasher.hash(password))
        )
    return StaffUser(row.id, row.username, row.role, row.unit_id)


def start_session(conn: sa.Connection, *, user: StaffUser, second_factor: str = "") -> StaffUser:
    """Open a new session and return the user carrying its token."""
    token = secrets.token_urlsafe(32)
    now = _now()
    conn.execute(
        staff_sessions.insert().values(
            token_hash=_token_hash(token),
            user_id=user.id,
            created_at=now,
            last_seen_at=now,
            end_reason="",
            second_factor=second_factor,
        )
    )
    return StaffUser(user.id, user.username, user.role, user.unit_id, token, second_factor)


@dataclass(frozen=True)
class SessionCheck:
    """What reading a session found: its user if still open, and what must be written."""

    user: StaffUser | None
    session_id: int | None = None
    end_reason: str = ""  # disabled | idle | absolute: end it now
    touch: bool = False  # keep it alive: update last_seen_at

    @property
    def needs_write(self) -> bool:
        return bool(self.end_reason or self.touch)


def check_session(
    conn: sa.Connection,
    *,
    token: str,
    idle: timedelta = IDLE,
    absolute: timedelta = ABSOLUTE,
) -> SessionCheck:
    """Read a session: its user if it is still open, else why it must end (no writes)."""
    s, u = staff_sessions.c, staff_users.c
    row = conn.execute(
        sa.select(
            s.id,
            s.created_at,
            s.last_seen_at,
            s.ended_at,
            s.second_factor,
            u.id.label("user_id"),
            u.username,
            u.role,
            u.unit_id,
            u.disabled_at,
        )
        .select_from(staff_sessions.join(staff_users))
        .where(s.token_hash == _token_hash(token))
    ).first()
    if row is None or row.ended_at is not None:
        return SessionCheck(None)
    now = _now()
    if row.disabled_at is not None:
        return SessionCheck(None, row.id, "disabled")
    if now - row.last_seen_at > idle:
        return SessionCheck(None, row.id, "idle")
    if now - row.created_at > absolute:
        return SessionCheck(None, row.id, "absolute")
    user = StaffUser(row.user_id, row.username, row.role, row.unit_id, token, row.second_factor)
    return SessionCheck(user, row.id, touch=now - row.last_seen_at > TOUCH_EVERY)


def settle_session(conn: sa.Connection, *, check: SessionCheck) -> None:
    """Write what `check_session` found: end the session or keep it alive."""
    where = staff_sessions.c.id == check.session_id
    if check.end_reason:
        values = {"ended_at": _now(), "end_reason": check.end_reason}
        conn.execute(staff_sessions.update().where(where).values(**values))
    elif check.touch:
        conn.execute(staff_sessions.update().where(where).values(last_seen_at=_now()))


def end_session(conn: sa.Connection, *, token: str, reason: str = "logout") -> None:
    conn.execute(
        staff_sessions.update()
        .where(
            staff_sessions.c.token_hash == _token_hash(token), staff_sessions.c.ended_at.is_(None)
        )
        .values(ended_at=_now(), end_reason=reason)
    )


def list_staff(conn: sa.Connection) -> list[sa.Row]:
    return list(conn.execute(sa.select(staff_users).order_by(staff_users.c.username)))


def active_user(conn: sa.Connection, *, user_id: int) -> StaffUser | None:
    """Return the account with this id if it exists and is not disabled."""
    row = conn.execute(sa.select(staff_users).where(staff_users.c.id == user_id)).first()
    if row is None or row.disabled_at is not None:
        return None
    return StaffUser(row.id, row.username, row.role, row.unit_id)
