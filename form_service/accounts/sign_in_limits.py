"""Limits on failed staff sign-ins, counted where every worker and instance counts them.

Four buckets, all counting failures (a wrong password, an unknown name, a wrong code), all in
the rate-limit storage the service was given (Redis in production, so four workers on two hosts
count as one):

- account + address (`PORTAL_RATELIMIT_LOGIN_USER_IP`, 10 in 15 minutes): full, that address is
  refused (429) for that account. A guesser gets 10 tries per address they control; the owner,
  at another address, is not touched.
- address (`PORTAL_RATELIMIT_LOGIN_IP`, 20 in 15 minutes): full, that address is refused for
  every account, so one address cannot spray many accounts.
- account (`PORTAL_RATELIMIT_LOGIN_USER`, 20 in 15 minutes): full, every sign-in to that account
  from anywhere first waits `PORTAL_RATELIMIT_LOGIN_DELAY` seconds, the right password too (an
  early answer would tell a guesser it was wrong). It slows a guesser with many addresses and
  never refuses, so a stranger who knows a username cannot keep its owner out.
- codes per account (`PORTAL_RATELIMIT_LOGIN_CODE`, 10 an hour): wrong second-factor codes;
  full, codes are refused for the account. Only someone who has the password gets this far, and
  then the password must be changed anyway.

IPv6 addresses count by their /64 network: one subscriber is given a whole /64. The address
itself is the one the proxies in `PORTAL_PROXIES` saw (ProxyFix), never a header the client set.
When the shared storage does not answer, each process counts on its own until it answers again
(logged), as Flask-Limiter does for the other limits.
"""

from __future__ import annotations

import hashlib
import ipaddress
import logging
import time
from dataclasses import dataclass

from limits import RateLimitItem, parse_many
from limits.storage import MemoryStorage, storage_from_string
from limits.strategies import MovingWindowRateLimiter

log = logging.getLogger("portal.sign_in")
RETRY_SHARED_AFTER = 30.0  # seconds on the fallback before the shared storage is tried again
NAMESPACE = "portal-sign-in"


@dataclass(frozen=True)
class Verdict:
    """What the limits say about one sign-in attempt before it is checked."""

    refused: str = ""  # "", "user_ip", "ip" or "code"
    delay: float = 0.0
    retry_minutes: int = 0


def network_of(address: str) -> str:
    """Return the key of a client address: IPv4 as is, IPv6 as its /64 network."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return address[:64] or "-"
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network(f"{ip}/64", strict=False))
    return str(ip)


def account_key(username: str) -> str:
    """Return a fixed-length key for a typed username (any text: no separator can be forged)."""
    return hashlib.sha256(username.strip().lower().encode("utf-8")).hexdigest()[:32]


class SignInLimits:
    """Check and count failed sign-ins in the shared storage."""

    def __init__(
        self,
        *,
        storage_uri: str,
        user_ip: str,
        ip: str,
        user: str,
        code: str,
        delay: float,
    ) -> None:
        shared = storage_from_string(storage_uri)
        self._shared = MovingWindowRateLimiter(shared)
        self._shared_errors = shared.base_exceptions
        self._fallback = MovingWindowRateLimiter(MemoryStorage())
        self._fallback_until = 0.0
        self.buckets: dict[str, list[RateLimitItem]] = {
            "user_ip": parse_many(user_ip),
            "ip": parse_many(ip),
            "user": parse_many(user),
            "code": parse_many(code),
        }
        self.delay = delay

    def _identities(self, username: str, address: str) -> dict[str, tuple[str, ...]]:
        who, where = account_key(username), network_of(address)
        return {
            "user_ip": (NAMESPACE, "user-ip", who, where),
            "ip": (NAMESPACE, "ip", where),
            "user": (NAMESPACE, "user", who),
            "code": (NAMESPACE, "code", who),
        }

    def check(self, *, username: str, address: str, code_step: bool = False) -> Verdict:
        """Say whether an attempt is refused, or how long it must wait first."""
        keys = self._identities(username, address)
        order = ("user_ip", "code") if code_step else ("user_ip", "ip")
        for bucket in order:
            if not self._room(bucket, keys[bucket]):
                return Verdict(refused=bucket, retry_minutes=self._minutes(bucket))
        if not self._room("user", keys["user"]):
            log.warning("sign-in brake on for account %r: each try waits", username[:40])
            return Verdict(delay=self.delay)
        return Verdict()

    def failed(self, *, username: str, address: str, code_step: bool = False) -> None:
        """Count one failed attempt in each bucket it belongs to."""
        keys = self._identities(username, address)
        buckets = ("user_ip", "user", "code") if code_step else ("user_ip", "ip", "user")
        for bucket in buckets:
            self._hit(bucket, keys[bucket])

    def _minutes(self, bucket: str) -> int:
        return max(1, max(item.get_expiry() for item in self.buckets[bucket]) // 60)

    def _room(self, bucket: str, identity: tuple[str, ...]) -> bool:
        return all(self._call("test", item, identity) for item in self.buckets[bucket])

    def _hit(self, bucket: str, identity: tuple[str, ...]) -> None:
        for item in self.buckets[bucket]:
            self._call("hit", item, identity)

    def _call(self, action: str, item: RateLimitItem, identity: tuple[str, ...]) -> bool:
        """Test or hit in the shared storage; when it does not answer, in this process."""
        if time.monotonic() >= self._fallback_until:
            try:
                return bool(getattr(self._shared, action)(item, *identity))
            except self._shared_errors as error:
                name = type(error).__name__
                log.warning(
                    "sign-in limit storage unreachable (%s): counting here for a while", name
                )
                self._fallback_until = time.monotonic() + RETRY_SHARED_AFTER
        return bool(getattr(self._fallback, action)(item, *identity))
