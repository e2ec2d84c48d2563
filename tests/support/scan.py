"""Read a built site the way a browser would: pages, links, ids, scripts and JSON-LD."""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit


@dataclass
class Element:
    tag: str
    attrs: dict[str, str]


@dataclass
class Document:
    """One built HTML page: its elements, ids, scripts and the text of its headings."""

    path: Path
    url: str
    elements: list[Element] = field(default_factory=list)
    ids: set[str] = field(default_factory=set)
    scripts: list[tuple[dict[str, str], str]] = field(default_factory=list)
    texts: dict[str, list[str]] = field(default_factory=dict)

    def jsonld(self) -> list[dict[str, Any]]:
        return [
            json.loads(text)
            for attrs, text in self.scripts
            if attrs.get("type") == "application/ld+json"
        ]

    def links(self) -> list[tuple[str, str]]:
        """Return (attribute, URL) for every href and src on the page."""
        return [
            (name, value)
            for element in self.elements
            for name, value in element.attrs.items()
            if name in ("href", "src") and value is not None
        ]

    def text_of(self, tag: str) -> str:
        return "".join(self.texts.get(tag, []))


class _Parser(HTMLParser):
    # Text of these elements is collected (title, headings, the main article).
    COLLECT = ("title", "h1", "h2", "article", "dd", "dt", "a", "p")

    def __init__(self, document: Document) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.open: list[str] = []
        self.script: dict[str, str] | None = None
        self.script_text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        self.document.elements.append(Element(tag, values))
        if "id" in values:
            self.document.ids.add(values["id"])
        if tag == "a" and "name" in values:
            self.document.ids.add(values["name"])
        if tag == "script":
            self.script, self.script_text = values, []
        elif tag not in ("br", "img", "meta", "link", "input", "hr", "source", "path", "wbr"):
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "script" and self.script is not None:
            self.document.scripts.append((self.script, "".join(self.script_text)))
            self.script = None
            return
        if tag in self.open:
            while self.open and self.open.pop() != tag:
                pass

    def handle_data(self, data: str) -> None:
        if self.script is not None:
            self.script_text.append(data)
            return
        for tag in set(self.open) & set(self.COLLECT):
            self.document.texts.setdefault(tag, []).append(data)


def page_url(site: Path, path: Path) -> str:
    """Return the site path of a built file: `courses/c01/index.html` -> `/courses/c01/`."""
    relative = path.relative_to(site).as_posix()
    if relative == "index.html" or relative.endswith("/index.html"):
        return "/" + relative[: -len("index.html")]
    return "/" + relative


def read(site: Path, path: Path) -> Document:
    document = Document(path=path, url=page_url(site, path))
    parser = _Parser(document)
    parser.feed(path.read_text(encoding="utf-8"))
    parser.close()
    return document


def read_all(site: Path) -> dict[str, Document]:
    return {doc.url: doc for doc in (read(site, p) for p in sorted(site.rglob("*.html")))}


def resolve(document: Document, link: str) -> tuple[str, str] | None:
    """Return (site path, fragment) for a link to this site, or None for other origins/schemes."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc:
        return None
    if not parts.path:
        return document.url, parts.fragment
    joined = posixpath.join(posixpath.dirname(document.url), parts.path)
    target = posixpath.normpath(joined)
    if parts.path.endswith(("/", "/.", "/..")) or parts.path in (".", ".."):
        target = target.rstrip("/") + "/"
    return unquote(target), parts.fragment


def file_for(site: Path, site_path: str) -> Path:
    if site_path.endswith("/"):
        return site / site_path.lstrip("/") / "index.html"
    return site / site_path.lstrip("/")
