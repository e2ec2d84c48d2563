"""The app's services, set up once per app and reached through one function each.

Views and commands call `catalogue()`, `store()` and `cipher()` instead of reading
`current_app.extensions` by string, so where a service lives is written down here only.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from pathlib import Path

from flask import Flask, current_app, g, has_request_context
from itsdangerous import URLSafeSerializer

from form_service.store.crypto import IdentityCipher
from form_service.store.engine import Store
from site_builder import published
from site_builder.catalog import Catalogue, ContentError, load_catalogue

_CATALOGUE = "portal.catalogue"
_STORE = "portal.store"
_CIPHER = "portal.cipher"
_SIGNER = "portal.confirmation_signer"


log = logging.getLogger(__name__)


@dataclass
class _Live:
    """The catalogue in use and the stamp of the published site it was loaded for."""

    catalogue: Catalogue
    fixed: bool  # given by the caller (tests): never reloaded
    site_dir: Path
    stamp: tuple[int, int, int] | None
    build: str = ""
    lock: threading.Lock = field(default_factory=threading.Lock)


def init_app(app: Flask) -> None:
    """Load the catalogue (raises ContentError if it has problems), open the store, make the cipher.

    The catalogue is the published site's (see `site_builder.published`) when there is one,
    else `PORTAL_CONTENT_DIR` as it stands.
    """
    given = app.config.get("PORTAL_CATALOGUE")
    site_dir = Path(app.config["PORTAL_SITE_DIR"])
    stamp = published.stamp_key(site_dir)
    build = published.live_build(site_dir) if stamp is not None else None
    if given is not None:
        loaded = given
    elif build is not None and build.content.is_dir():
        loaded = load_catalogue(build.content)
    else:
        loaded = load_catalogue(Path(app.config["PORTAL_CONTENT_DIR"]))
    app.extensions[_CATALOGUE] = _Live(
        loaded, given is not None, site_dir, stamp, build.id if build else ""
    )
    app.extensions[_STORE] = Store(app.config["PORTAL_DATABASE_URL"])
    app.extensions[_CIPHER] = IdentityCipher(app.config["PORTAL_ID_KEY"])


def catalogue(app: Flask | None = None) -> Catalogue:
    """Return the catalogue of the site published now (the current app's by default).

    One `stat` of the site's build stamp per request: when another process has published, this
    worker loads the new build's content before answering, with no restart. A request sees one
    catalogue from start to end.
    """
    live: _Live = (app or current_app).extensions[_CATALOGUE]
    if app is None and has_request_context():
        seen = g.get("_portal_catalogue")
        if seen is None:
            seen = g._portal_catalogue = _fresh(live)
        return seen  # type: ignore[no-any-return]
    return _fresh(live)


def _fresh(live: _Live) -> Catalogue:
    if live.fixed:
        return live.catalogue
    stamp = published.stamp_key(live.site_dir)
    if stamp is None or stamp == live.stamp:
        return live.catalogue
    with live.lock:
        if stamp != live.stamp:
            _reload(live, stamp)
    return live.catalogue


def _reload(live: _Live, stamp: tuple[int, int, int]) -> None:
    build = published.live_build(live.site_dir)
    try:
        if build is None:
            raise FileNotFoundError(live.site_dir / published.STAMP)
        live.catalogue = load_catalogue(build.content)
        live.build = build.id
        log.info("catalogue reloaded for published build %s", build.id)
    except (OSError, ContentError):
        # Keep serving what we have; do not retry this stamp on every request.
        log.exception("published build could not be loaded; keeping build %r", live.build)
    live.stamp = stamp


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
