"""Settings of the form service: read from the environment, checked before the app starts.

| variable | meaning | default |
| --- | --- | --- |
| `PORTAL_ENV` | `development` or `production` (production refuses unsafe values) | `development` |
| `PORTAL_SECRET_KEY` | signs sessions and CSRF tokens; ≥ 32 random characters | derived from `data/dev-secret` |
| `PORTAL_ID_KEY` | encrypts ID and phone numbers, keys their hashes; ≥ 32 random characters | derived from `data/dev-secret` |
| `PORTAL_DATABASE_URL` | SQLAlchemy URL of the store | `sqlite:///data/portal.db` |
| `PORTAL_DATA_DIR` | where the store and the development secret live | `data/` in the checkout |
| `PORTAL_RATELIMIT_STORAGE_URL` | limit storage shared by every worker and instance, `redis://…`; production refuses `memory://` | `memory://` |
| `PORTAL_RATELIMIT_SUBMIT` | per applicant (address + keyed hash of the ID number), sending an application | `5/minute;20/hour` |
| `PORTAL_RATELIMIT_SUBMIT_ADDRESS` | per client address, every application sent from it (docs/rate-limits.md) | `600/hour;3000/day` |
| `PORTAL_RATELIMIT_LOOKUP` | per client address (IPv6: its /64), failed progress look-ups | `5/minute;30/hour` |
| `PORTAL_RATELIMIT_LOGIN_USER_IP` | failed staff sign-ins per account and address; then that address is refused for that account | `10/15 minutes` |
| `PORTAL_RATELIMIT_LOGIN_IP` | failed staff sign-ins per address, any account; then that address is refused | `20/15 minutes` |
| `PORTAL_RATELIMIT_LOGIN_USER` | failed sign-ins per account from anywhere; then every try waits (never refused) | `20/15 minutes` |
| `PORTAL_RATELIMIT_LOGIN_DELAY` | seconds each sign-in to a braked account waits (0–10) | `3` |
| `PORTAL_RATELIMIT_LOGIN_CODE` | wrong second-factor codes per account; then codes are refused | `10/hour` |
| `PORTAL_WORKERS` (or `WEB_CONCURRENCY`) | number of server processes (deploy/gunicorn.conf.py) | `1` |
| `PORTAL_PROXIES` | reverse proxies in front that set `X-Forwarded-For` | `0` |
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from site_builder.settings import PROJECT_ROOT

PRODUCTION = "production"
MIN_SECRET_LENGTH = 32
SHARED_STORAGE_REQUIRED = (
    "生产环境的 PORTAL_RATELIMIT_STORAGE_URL 不能是 memory://:那样每个工作进程各数各的,"
    "登录和查询次数限制形同虚设;请指向所有进程共用的 Redis(redis://…)"
)
# Staff sign-in limits (form_service/accounts/sign_in_limits.py says how each is keyed).
LOGIN_LIMITS = {
    "PORTAL_RATELIMIT_LOGIN_USER_IP": "10/15 minutes",
    "PORTAL_RATELIMIT_LOGIN_IP": "20/15 minutes",
    "PORTAL_RATELIMIT_LOGIN_USER": "20/15 minutes",
    "PORTAL_RATELIMIT_LOGIN_DELAY": "3",
    "PORTAL_RATELIMIT_LOGIN_CODE": "10/hour",
}
_KNOWN_WEAK = {"dev", "secret", "changeme", "change-me", "password", "test", "development"}


class UnsafeSettings(RuntimeError):
    """Production settings that must be fixed before the service may start."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("拒绝启动,设置不安全:\n" + "\n".join(f"- {p}" for p in problems))
        self.problems = problems


def data_dir(environ: Mapping[str, str] = os.environ) -> Path:
    return Path(environ.get("PORTAL_DATA_DIR") or PROJECT_ROOT / "data")


def default_database_url(environ: Mapping[str, str] = os.environ) -> str:
    return f"sqlite:///{data_dir(environ) / 'portal.db'}"


def _development_secret(folder: Path) -> bytes:
    """Read (or create once) the random secret that development keys are derived from."""
    path = folder / "dev-secret"
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as handle:
            handle.write(secrets.token_hex(32))
    return path.read_text().strip().encode()


def _derived(secret: bytes, purpose: str) -> str:
    return hmac.new(secret, purpose.encode(), hashlib.sha256).hexdigest()


def is_weak_secret(value: str | None) -> bool:
    """Tell whether a secret is missing, short, a known default or made of few characters."""
    if not value:
        return True
    return len(value) < MIN_SECRET_LENGTH or value.lower() in _KNOWN_WEAK or len(set(value)) < 12


def from_environment(environ: Mapping[str, str] = os.environ) -> dict[str, Any]:
    """Return Flask config keys for the settings found in `environ`."""
    env = environ.get("PORTAL_ENV", "development").strip() or "development"
    workers = environ.get("PORTAL_WORKERS") or environ.get("WEB_CONCURRENCY") or "1"
    return {
        "PORTAL_ENV": env,
        "SECRET_KEY": environ.get("PORTAL_SECRET_KEY", ""),
        "PORTAL_ID_KEY": environ.get("PORTAL_ID_KEY", ""),
        "PORTAL_DATA_DIR": str(data_dir(environ)),
        "PORTAL_DATABASE_URL": environ.get("PORTAL_DATABASE_URL") or default_database_url(environ),
        "RATELIMIT_STORAGE_URI": environ.get("PORTAL_RATELIMIT_STORAGE_URL") or "memory://",
        "PORTAL_RATELIMIT_SUBMIT": environ.get("PORTAL_RATELIMIT_SUBMIT") or "5/minute;20/hour",
        "PORTAL_RATELIMIT_SUBMIT_ADDRESS": (
            environ.get("PORTAL_RATELIMIT_SUBMIT_ADDRESS") or "600/hour;3000/day"
        ),
        "PORTAL_RATELIMIT_LOOKUP": environ.get("PORTAL_RATELIMIT_LOOKUP") or "5/minute;30/hour",
        **{name: environ.get(name) or default for name, default in LOGIN_LIMITS.items()},
        "PORTAL_WORKERS": int(workers) if workers.isdigit() else 1,
        "PORTAL_PROXIES": int(environ.get("PORTAL_PROXIES", "0") or 0),
    }


def fill_development_keys(config: dict[str, Any]) -> None:
    """Outside production, derive missing keys from `data/dev-secret` so `make run` just works."""
    if config.get("SECRET_KEY") and config.get("PORTAL_ID_KEY"):
        return
    dev = _development_secret(Path(config["PORTAL_DATA_DIR"]))
    config["SECRET_KEY"] = config.get("SECRET_KEY") or _derived(dev, "flask-secret-key")
    config["PORTAL_ID_KEY"] = config.get("PORTAL_ID_KEY") or _derived(dev, "id-key")


def production_problems(config: Mapping[str, Any], *, debug: bool) -> list[str]:
    """List what makes `config` unsafe to serve the public with (empty when it is safe)."""
    if config.get("PORTAL_ENV") != PRODUCTION:
        return []
    problems = []
    if is_weak_secret(config.get("SECRET_KEY")):
        problems.append(f"PORTAL_SECRET_KEY 缺失或太弱(至少 {MIN_SECRET_LENGTH} 个随机字符)")
    if is_weak_secret(config.get("PORTAL_ID_KEY")):
        problems.append(f"PORTAL_ID_KEY 缺失或太弱(至少 {MIN_SECRET_LENGTH} 个随机字符)")
    elif config.get("PORTAL_ID_KEY") == config.get("SECRET_KEY"):
        problems.append("PORTAL_ID_KEY 不能与 PORTAL_SECRET_KEY 相同")
    if debug:
        problems.append("生产环境不能开启调试模式(FLASK_DEBUG)")
    # Whatever the worker count says: gunicorn may be started with --workers, a second instance
    # may run on another host, and in-process counters then let every guess through N times.
    storage = str(config.get("RATELIMIT_STORAGE_URI") or "memory://")
    if storage.split(":", 1)[0].lower() == "memory":
        problems.append(SHARED_STORAGE_REQUIRED)
    return problems
