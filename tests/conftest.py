"""Every fixture of the tests, in one place; what they are made of lives in tests/support/.

- the clock and content: `_pinned_clock` (autouse), `catalogue`, `content_copy`,
  `small_content` (the catalogue tests' minimal folder), `form_content` (the form tests' catalogue);
- databases: `db_url` (each test on a new SQLite file and a new PostgreSQL schema);
- the form service on the small catalogue: `form_app`, `form_store`, `form_client`, `applicant`;
- the form service on the real content: `app`, `store`, `cipher`, `cat`, `client`, and staff
  signed in: `accounts_made`, `admin`, `yangpu`, `huangpu`;
- the built site: `built_site`, `pages`; the fault tests: `course_and_unit`, `rng`;
- the browser: `browser`, `portal`, `yangpu_staff`, `axe_source`, `open_session`.
"""

from __future__ import annotations

import random
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient

from form_service.store import Store
from form_service.store.crypto import IdentityCipher
from form_service.web import services
from site_builder.catalog import Catalogue, load_catalogue
from tests.support.apps import make_app
from tests.support.browser import AXE_SCRIPT, Portal, serve_portal, sessions
from tests.support.content import write_form_content, write_minimal_content
from tests.support.databases import postgres_schema, sqlite_url
from tests.support.load import FAULT_SEED, open_course
from tests.support.pages import Applicant
from tests.support.scan import Document, read_all
from tests.support.services import CHROMIUM, CHROMIUM_ARGS, chromium_available, missing
from tests.support.settings import PINNED_TODAY, REAL_CONTENT
from tests.support.site import build
from tests.support.staff import PASSWORD, Staff, add_accounts

# --- the clock and the content ---------------------------------------------------------------


@pytest.fixture(autouse=True)
def _pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TODAY", PINNED_TODAY)


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """The real content, loaded once."""
    return load_catalogue(REAL_CONTENT)


@pytest.fixture
def content_copy(tmp_path: Path) -> Path:
    """A writable copy of the real content, named `content` like the real one."""
    target = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, target)
    return target


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    """A minimal valid content folder that each catalogue test breaks in one way."""
    return write_minimal_content(tmp_path)


@pytest.fixture(scope="session")
def form_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The form tests' small catalogue: courses open, full, closed, merged away."""
    return write_form_content(tmp_path_factory.mktemp("forms"))


# --- databases -------------------------------------------------------------------------------


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty database: a new SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield sqlite_url(tmp_path)
        return
    with postgres_schema() as url:
        yield url


# --- the form service on the small catalogue (the form tests) --------------------------------


@pytest.fixture
def form_app(db_url: str, form_content: Path, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path, content=form_content, serve_site=True)
    yield app
    services.store(app).dispose()


@pytest.fixture
def form_store(form_app: Flask) -> Store:
    return services.store(form_app)  # type: ignore[no-any-return]


@pytest.fixture
def form_client(form_app: Flask) -> FlaskClient:
    return form_app.test_client()


@pytest.fixture
def applicant(form_client: FlaskClient) -> Applicant:
    return Applicant(form_client)


# --- the form service on the real content (the staff tests) ----------------------------------


@pytest.fixture
def app(db_url: str, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, tmp_path)
    yield app
    services.store(app).dispose()


@pytest.fixture
def store(app: Flask) -> Store:
    return services.store(app)  # type: ignore[no-any-return]


@pytest.fixture
def cipher(app: Flask) -> IdentityCipher:
    return services.cipher(app)  # type: ignore[no-any-return]


@pytest.fixture
def cat(app: Flask) -> Catalogue:
    return services.catalogue(app)  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def accounts_made(app: Flask) -> dict[str, str]:
    """One account per role: city admin, 杨浦 staff, 黄浦 staff (who also sees 卢湾)."""
    add_accounts(app, {"shizong": None, "yangpu-staff": "yangpu", "huangpu-staff": "huangpu"})
    return {"admin": "shizong", "yangpu": "yangpu-staff", "huangpu": "huangpu-staff"}


def _signed_in(app: Flask, username: str) -> Staff:
    staff = Staff(app.test_client())
    staff.login(username)
    return staff


@pytest.fixture
def admin(app: Flask, accounts_made: dict[str, str]) -> Staff:
    return _signed_in(app, accounts_made["admin"])


@pytest.fixture
def yangpu(app: Flask, accounts_made: dict[str, str]) -> Staff:
    return _signed_in(app, accounts_made["yangpu"])


@pytest.fixture
def huangpu(app: Flask, accounts_made: dict[str, str]) -> Staff:
    return _signed_in(app, accounts_made["huangpu"])


# --- the built site and the fault tests ------------------------------------------------------


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/, built once for the whole session."""
    site = tmp_path_factory.mktemp("real") / "site"
    build(REAL_CONTENT, site)
    return site


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, Document]:
    """Every built HTML page, parsed once, by site path."""
    return read_all(built_site)


@pytest.fixture
def course_and_unit() -> tuple[str, str]:
    """An open skills course of the real content on the pinned day, and a district."""
    return open_course()


@pytest.fixture
def rng() -> random.Random:
    """Fault times are random but replayable: the seed is printed with the figures of each run."""
    return random.Random(FAULT_SEED)


# --- the browser -----------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    """One headless Chromium for the whole run (Debian's package, never a download).

    Playwright's sync API allows one driver per process, so every browser test shares this one.
    """
    reason = chromium_available()
    if reason:
        missing(reason)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture(scope="session")
def portal(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Portal]:
    """The real content built once and served with the forms on one free loopback port."""
    with serve_portal(tmp_path_factory.mktemp("browser")) as live:
        yield live


@pytest.fixture(scope="session")
def yangpu_staff(portal: Portal) -> str:
    """A district union's member of staff, made as an operator makes one."""
    portal.command(
        "staff", "add", "yangpu-staff", "--role", "unit", "--unit", "yangpu", "--password-stdin",
        stdin=PASSWORD + "\n",
    )  # fmt: skip
    return "yangpu-staff"


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        missing(f"{AXE_SCRIPT} is missing (npm install --no-audit --no-fund)")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def open_session(browser: Any, portal: Portal, request: pytest.FixtureRequest) -> Iterator[Any]:
    """Open browser sessions; at the end, no pop-up, no dialog and no script error happened."""
    with sessions(browser, portal.url, request.node.name) as make:
        yield make
