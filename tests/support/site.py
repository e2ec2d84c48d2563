"""The built site: build content as `portal build` does, and check what the pages may run."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from site_builder.catalog import Catalogue
from site_builder.publish import build_and_publish
from tests.support.scan import Document
from tests.support.settings import PINNED_TODAY, SITE_URL

THEME_INLINE_SCRIPTS = (
    "__md_scope=",  # Material
    "var palette=",  # Material
    "var target=document.getElementById(location.hash",  # Material
    "if (/(?:^|;\\s*)portal_large=1",  # ours: large text before first paint (overrides/main.html)
)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def build(content: Path, site: Path, *, site_url: str = SITE_URL) -> Catalogue:
    """Build `content` into `site` on the pinned date, as `portal build` would."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("PORTAL_TODAY", PINNED_TODAY)
        patch.setenv("PORTAL_SITE_URL", site_url)
        return build_and_publish(content_dir=content, site_dir=site)


def foreign_scripts(pages: dict[str, Document]) -> list[str]:
    """Return every script on the pages that is neither the theme's nor ours."""
    found = []
    for document in pages.values():
        for attrs, text in document.scripts:
            if attrs.get("src"):
                if not attrs["src"].endswith(("assets/portal.js", ".min.js")):
                    found.append(f"{document.url}: src={attrs['src']}")
            elif attrs.get("type") == "application/ld+json":
                json.loads(text)  # a payload that closed the element would break the JSON
            elif attrs.get("id") == "__config":
                assert json.loads(text)["search"].endswith(".min.js")
            elif not text.strip().startswith(THEME_INLINE_SCRIPTS):
                found.append(f"{document.url}: inline {text[:60]!r}")
    return found


def live_markup(pages: dict[str, Document]) -> list[str]:
    """Return every event handler, script URL and embedding element on the pages."""
    found = []
    for document in pages.values():
        for element in document.elements:
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    found.append(f"{document.url}: <{element.tag} {name}>")
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    compact = "".join(value.split()).lower()
                    if compact.startswith(BAD_SCHEMES):
                        found.append(f"{document.url}: <{element.tag} {name}={value}>")
            if element.tag in ("iframe", "object", "embed", "style"):
                found.append(f"{document.url}: <{element.tag}>")
    return found
