"""Fixtures of the form-service tests: a small catalogue, a fresh store on SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import sqlalchemy as sa
from flask import Flask
from flask.testing import FlaskClient

from form_service import create_app
from form_service.store import Store, migrate
from form_service.web import services
from tests.forms.content import write_content
from tests.forms.pages import Applicant
from tests.services import POSTGRES_URL, missing, postgres_available

SECRET_KEY = "test-secret-key-7f3a9c2e41b8d6f05a1c3e7b9d2f4a6c"
ID_KEY = "test-id-key-c4e8a1f9b3d7025e6a8c1f3b5d7e9a2c"


@pytest.fixture(scope="session")
def form_content(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_content(tmp_path_factory.mktemp("forms"))


@pytest.fixture(scope="session")
def postgres_reason() -> str | None:
    return postgres_available()


def postgres_schema_url(schema: str) -> str:
    url = sa.make_url(POSTGRES_URL).update_query_dict({"options": f"-csearch_path={schema}"})
    return url.render_as_string(hide_password=False)


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
    schema = f"t_{uuid.uuid4().hex[:16]}"
    admin = sa.create_engine(POSTGRES_URL)
    with admin.begin() as conn:
        conn.exec_driver_sql(f"CREATE SCHEMA {schema}")
    try:
        yield postgres_schema_url(schema)
    finally:
        with admin.begin() as conn:
            conn.exec_driver_sql(f"DROP SCHEMA {schema} CASCADE")
        admin.dispose()


def make_app(db_url: str, content: Path, tmp_path: Path, **overrides: object) -> Flask:
    config = {
        "PORTAL_CONTENT_DIR": str(content),
        "PORTAL_SITE_DIR": str(tmp_path / "site"),
        "PORTAL_DATA_DIR": str(tmp_path / "data"),
        "PORTAL_DATABASE_URL": db_url,
        "SECRET_KEY": SECRET_KEY,
        "PORTAL_ID_KEY": ID_KEY,
        "PORTAL_ENV": "development",
    }
    config.update(overrides)
    app = create_app(config)
    migrate.upgrade(services.store(app))
    return app


@pytest.fixture
def app(db_url: str, form_content: Path, tmp_path: Path) -> Iterator[Flask]:
    app = make_app(db_url, form_content, tmp_path)
    yield app
    services.store(app).dispose()


@pytest.fixture
def store(app: Flask) -> Store:
    return services.store(app)  # type: ignore[no-any-return]


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def applicant(client: FlaskClient) -> Applicant:
    return Applicant(client)
