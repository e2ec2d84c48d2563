"""The app's services, set up once per app and reached through one function each.

Views and commands call `catalogue()`, `store()` and `cipher()` instead of reading
`current_app.extensions` by string, so where a service lives is written down here only.
"""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app
from itsdangerous import URLSafeSerializer

from form_service.applications.crypto import IdentityCipher
from form_service.store.engine import Store
from site_builder.catalog import Catalogue, load_catalogue

_CATALOGUE = "portal.catalogue"
_STORE = "portal.store"
_CIPHER = "portal.cipher"
_SIGNER = "portal.confirmation_signer"


def init_app(app: Flask) -> None:
    """Load the catalogue (raises ContentError if it has problems), open the store, make the cipher."""
    loaded = app.config.get("PORTAL_CATALOGUE")
    if loaded is None:
        loaded = load_catalogue(Path(app.config["PORTAL_CONTENT_DIR"]))
    app.extensions[_CATALOGUE] = loaded
    app.extensions[_STORE] = Store(app.config["PORTAL_DATABASE_URL"])
    app.extensions[_CIPHER] = IdentityCipher(app.config["PORTAL_ID_KEY"])


def catalogue(app: Flask | None = None) -> Catalogue:
    """Return the app's catalogue (the current app's by default)."""
    return (app or current_app).extensions[_CATALOGUE]  # type: ignore[no-any-return]


def store(app: Flask | None = None) -> Store:
    """Return the app's store (the current app's by default)."""
    return (app or current_app).extensions[_STORE]  # type: ignore[no-any-return]


def cipher(app: Flask | None = None) -> IdentityCipher:
    """Return the app's cipher for ID and phone numbers (the current app's by default)."""
    return (app or current_app).extensions[_CIPHER]  # type: ignore[no-any-return]


def confirmation_signer() -> URLSafeSerializer:
    """Return the signer of confirmation links, made again when the secret key changes."""
    key = current_app.secret_key
    made = current_app.extensions.get(_SIGNER)
    if made is None or made[0] != key:
        made = (key, URLSafeSerializer(key, salt="portal-confirmation"))  # type: ignore[arg-type]
        current_app.extensions[_SIGNER] = made
    return made[1]  # type: ignore[no-any-return]
