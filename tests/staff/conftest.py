"""Fixtures of the staff-console tests: the real content, a fresh store on SQLite and PostgreSQL,
staff accounts of each role, and people who applied through the real submission code."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from form_service import create_app
from form_service.accounts import users as accounts
from form_service.applications.crypto import IdentityCipher
from form_service.store import Store, migrate
from form_service.web import services
from site_builder.catalog import Catalogue
from tests.conftest import REAL_CONTENT
from tests.services import POSTGRES_URL, missing, postgres_available
from tests.staff.people import PASSWORD, Staff

SECRET_KEY = "staff-test-secret-2b7e151628aed2a6abf7158809cf4f3c"
ID_KEY = "staff-test-id-key-3243f6a8885a308d313198a2e0370734"


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return postgres_available()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(
    request: pytest.FixtureRequest, tmp_path: Path, postgres_reason: str | None
) -> Iterator[str]:
    """A fresh, empty database: a new SQLite file, or a new schema on the PostgreSQL server."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'portal.db'}"
        return
    if postgres_reason:
        missing(postgres_reason)
    schema = f"s_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(POSTGRES_URL)
    _ddl(admin, f"CREATE SCHEMA {schema}")
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    try:
        yield url.render_as_string(hide_password=False)
    finally:
        _ddl(admin, f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def _ddl(engine: sa.Engine, statement: str) -> None:
    """Run schema DDL, retrying: on a server shared with other suites, DDL on the catalogue
    sometimes fails for lack of shared lock slots while other sessions create and drop."""
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                conn.exec_driver_sql(statement)
            return
        except sa.exc.OperationalError:
            if attempt == 4:
                raise
            time.sleep(0.5 * (attempt + 1))


def make_app(db_url: str, tmp_path: Path, **overrides: object) -> Flask:
    config: dict[str, object] = {
        "PORTAL_CONTENT_DIR": str(REAL_CONTENT),
        "PORTAL_SITE_DIR": str(tmp_path / "site"),
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_DATABASE_URL": db_url,
        "PORTAL_SERVE_SITE": False,
        "SECRET_KEY": SECRET_KEY,
        "PORTAL_ID_KEY": ID_KEY,
        "PORTAL_ENV": "development",
    }
    config.update(overrides)
    app = create_app(config)
    migrate.upgrade(services.store(app))
    return app


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
def accounts_made(store: Store, cat: Catalogue) -> dict[str, str]:
    """One account per role: city admin, 杨浦 staff, 黄浦 staff (who also sees 卢湾)."""
    made = {"admin": "shizong", "yangpu": "yangpu-staff", "huangpu": "huangpu-staff"}
    with store.write() as conn:
        accounts.add_staff(
            conn, username="shizong", role="admin", unit_id=None, password=PASSWORD, catalogue=cat
        )
        for unit in ("yangpu", "huangpu"):
            accounts.add_staff(
                conn,
                username=made[unit],
                role="unit",
                unit_id=unit,
                password=PASSWORD,
                catalogue=cat,
            )
    return made


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


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()
