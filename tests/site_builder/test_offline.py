"""China-safe and offline: nothing the site loads comes from another host."""

from __future__ import annotations

import re
from pathlib import Path

from tests.support.scan import Document
from tests.support.settings import SITE_URL

EXTERNAL = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//", re.ASCII)
CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)|@import\s+(?:url\()?\s*['\"]?([^'\");\s]+)", re.I)
# A string that starts with a scheme, or with `//` and a dotted host name (not `//comment`).
JS_STRING_URL = re.compile(r"[\"'`](https?://[^\"'`\s]+|//(?:[\w-]+\.)+[a-zA-Z]{2,}[^\"'`\s]*)")
# The theme's bundle asks these only for a repository link (`repo_url`), which we never set.
REPOSITORY_FACTS = ("https://api.github.com/", "https://${e}/api/v4/")
LOADED_BY_TAG = {"script", "img", "iframe", "source", "audio", "video", "embed", "track", "input"}


def _external(url: str) -> bool:
    return bool(EXTERNAL.match(url)) and not url.startswith(SITE_URL)


def test_html_loads_nothing_from_another_host(pages: dict[str, Document]) -> None:
    found = []
    for document in pages.values():
        for element in document.elements:
            if element.tag in LOADED_BY_TAG and _external(element.attrs.get("src", "")):
                found.append(f"{document.url}: <{element.tag} src={element.attrs['src']}>")
            rel = set(element.attrs.get("rel", "").split())
            loads = {"stylesheet", "preload", "modulepreload", "icon", "preconnect"} & rel
            if element.tag == "link" and loads and _external(element.attrs.get("href", "")):
                found.append(f"{document.url}: <link rel={rel} href={element.attrs['href']}>")
            for match in CSS_URL.finditer(element.attrs.get("style", "")):
                if _external(match.group(1) or match.group(2)):
                    found.append(f"{document.url}: style {match.group(0)}")
        for attrs, text in document.scripts:
            if attrs.get("type") not in ("application/ld+json", "application/json"):
                found += [f"{document.url}: inline script {u}" for u in JS_STRING_URL.findall(text)]
    assert found == []


def test_css_imports_nothing_from_another_host(built_site: Path) -> None:
    found = []
    for path in built_site.rglob("*.css"):
        for match in CSS_URL.finditer(path.read_text(encoding="utf-8")):
            url = match.group(1) or match.group(2)
            if _external(url):
                found.append(f"{path.relative_to(built_site)}: {match.group(0)}")
    assert found == []


def test_javascript_fetches_nothing_from_another_host(
    built_site: Path, pages: dict[str, Document]
) -> None:
    found = []
    for path in built_site.rglob("*.js"):
        text = path.read_text(encoding="utf-8")
        for match in CSS_URL.finditer(text):
            if _external(match.group(1) or match.group(2)):
                found.append(f"{path.relative_to(built_site)}: {match.group(0)}")
        for url in JS_STRING_URL.findall(text):
            if _external(url) and not url.startswith(REPOSITORY_FACTS):
                found.append(f"{path.relative_to(built_site)}: {url}")
    assert found == []
    # The repository facts above stay dormant only while no page shows a repository link.
    assert not any(
        "md-source" in e.attrs.get("class", "") for d in pages.values() for e in d.elements
    )


def test_theme_downloads_point_at_this_site(built_site: Path) -> None:
    (bundle,) = (built_site / "assets/javascripts").glob("bundle.*.min.js")
    text = bundle.read_text(encoding="utf-8")
    assert '"/assets/portal-resize-observer.js"' in text
    assert (built_site / "assets/portal-resize-observer.js").is_file()
    assert "unpkg.com" not in text


def test_no_web_fonts_and_no_social_cards(built_site: Path, pages: dict[str, Document]) -> None:
    assert list(built_site.rglob("*.woff*")) == []
    assert not (built_site / "assets/images/social").exists()
    home = pages["/"]
    assert not [
        e
        for e in home.elements
        if e.tag == "meta" and e.attrs.get("property", "").startswith("og:image")
    ]
