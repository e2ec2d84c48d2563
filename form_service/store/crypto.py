"""Encryption at rest and keyed hashes for ID and phone numbers (Fernet + HMAC-SHA256)."""

from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

__all__ = ["FernetBox", "IdentityCipher", "InvalidToken", "derive_key"]

ID_KEY_SALT = b"portal-id-key-v1"


def derive_key(secret: str, *, salt: bytes, purpose: bytes) -> bytes:
    """Return a 32-byte key for `purpose` derived from `secret` (HKDF-SHA256)."""
    hkdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=salt, info=purpose)
    return hkdf.derive(secret.encode("utf-8"))


class FernetBox:
    """Encrypt and decrypt text with a Fernet key derived from one secret for one purpose."""

    def __init__(self, secret: str, *, salt: bytes, purpose: bytes) -> None:
        if not secret:
            raise ValueError("an ID key is required")
        key = derive_key(secret, salt=salt, purpose=purpose)
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, value: str) -> str:
        """Return a Fernet token (ASCII) for `value`."""
        return self._fernet.encrypt(value.encode("utf-8")).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the plain value of a token made by `encrypt` (raises InvalidToken)."""
        return self._fernet.decrypt(token.encode("ascii")).decode("utf-8")


class IdentityCipher(FernetBox):
    """Encrypt, decrypt and hash personal numbers with keys derived from one secret."""

    def __init__(self, secret: str) -> None:
        super().__init__(secret, salt=ID_KEY_SALT, purpose=b"encrypt")
        self._hash_key = derive_key(secret, salt=ID_KEY_SALT, purpose=b"keyed-hash")

    def keyed_hash(self, value: str) -> str:
        """Return a hex HMAC of `value`: equal values match, the value cannot be recovered."""
        return hmac.new(self._hash_key, value.encode("utf-8"), hashlib.sha256).hexdigest()
