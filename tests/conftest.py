"""Fixtures shared by every test package: the real content, a pinned clock, scratch content."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from site_builder.catalog import Catalogue, load_catalogue
from tests.services import CHROMIUM, CHROMIUM_ARGS, chromium_available, missing

ROOT = Path(__file__).resolve().parent.parent
REAL_CONTENT = ROOT / "content"
# Inside the programme: the sample content is dated 2011 and courses are open for sign-up.
PINNED_TODAY = "2011-07-01"


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
