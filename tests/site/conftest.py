"""Site fixtures: the real content built once per session, and a payload build beside it."""

from __future__ import annotations

from pathlib import Path

import pytest

from site_builder.catalog import Catalogue, load_catalogue
from site_builder.publish import build_and_publish
from tests.conftest import PINNED_TODAY, REAL_CONTENT
from tests.site.scan import Document, read_all

SITE_URL = "https://jineng.example.org.cn/"


def build(content: Path, site: Path) -> Catalogue:
    """Build `content` into `site` on the pinned date, as `portal build` would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_TODAY", PINNED_TODAY)
        patch.setenv("PORTAL_SITE_URL", SITE_URL)
        return build_and_publish(content_dir=content, site_dir=site)


@pytest.fixture(scope="session")
def built_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The real content/, built once for the whole session."""
    site = tmp_path_factory.mktemp("real") / "site"
    build(REAL_CONTENT, site)
    return site


@pytest.fixture(scope="session")
def real_catalogue() -> Catalogue:
    return load_catalogue(REAL_CONTENT)


@pytest.fixture(scope="session")
def pages(built_site: Path) -> dict[str, Document]:
    """Every built HTML page, parsed once, by site path."""
    return read_all(built_site)
