"""Encryption at rest and keyed hashes for ID and phone numbers (Fernet + HMAC-SHA256)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["IdentityCipher", "InvalidToken"]


def _derive(secret: str, purpose: bytes) -> bytes:
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"portal-id-key-v1", info=purpose)
    return hkdf.derive(secret.encode("utf-8"))


class IdentityCipher:
    """Encrypt, decrypt and hash personal numbers with keys derived from one secret."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("an ID key is required")
        self._fernet = Fernet(base64.urlsafe_b64encode(_derive(secret, b"encrypt")))
        self._hash_key = _derive(secret, b"keyed-hash")

    def encrypt(self, value: str) -> str:
        """Return a Fernet token (ASCII) for `value`."""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the plain value of a token made by `encrypt` (raises InvalidToken)."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")

    def keyed_hash(self, value: str) -> str:
        """Return a hex HMAC of `value`: equal values match, the value cannot be recovered."""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()
