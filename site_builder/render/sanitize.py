"""A Python-Markdown extension that passes every page's HTML through an allow-list (nh3).

Staff write Markdown (descriptions, pages). Whatever they type, `<script>`, event-handler
attributes, `javascript:` and `data:` URLs, external images and ids that could clobber the theme's
own elements (or make it download from a foreign host) never reach a page. It runs inside Markdown conversion, after raw HTML is put back,
so it covers the pages we generate and the pages staff write, whichever generator calls Markdown.
"""

from __future__ import annotations

import re

import nh3
from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

TAGS = set(nh3.ALLOWED_TAGS) | {"section"}
ATTRIBUTES = {
    "*": {"class", "id", "title", "lang", "hidden", "role"},
    "a": {"href", "hreflang", "download"},
    "img": {"src", "alt", "width", "height", "loading"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
    "time": {"datetime"},
    "details": {"open"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_SAFE_ID = re.compile(r"^(?!__)\w[\w:.-]*$")
_HAS_SCHEME = re.compile(r"^\s*(?:[a-zA-Z][a-zA-Z0-9+.-]*:|//)")


def _attribute(tag: str, name: str, value: str) -> str | None:
    """Drop what the allow-list alone cannot judge by name."""
    if name == "id" and not _SAFE_ID.match(value):
        return None  # `__config`, `__search`: the theme finds its own parts by these ids
    if name.startswith("data-md"):
        return None
    if name == "src" and _HAS_SCHEME.match(value):
        return None  # images come from this site only: no foreign host, no data: URLs
    if name == "class" and "mermaid" in value:
        # The theme fetches a diagram library from a foreign CDN for `mermaid` elements.
        return " ".join(word for word in value.split() if word != "mermaid") or None
    return value


CLEANER = nh3.Cleaner(
    tags=TAGS,
    clean_content_tags={"script", "style"},
    attributes=ATTRIBUTES,
    attribute_filter=_attribute,
    generic_attribute_prefixes={"data-", "aria-"},
    url_schemes=URL_SCHEMES,
    link_rel=None,
    strip_comments=True,
)


def clean(html: str) -> str:
    """Return `html` with everything outside the allow-list removed."""
    return CLEANER.clean(html)


class _Sanitise(Postprocessor):
    def run(self, text: str) -> str:
        # The table of contents runs postprocessors on every heading's text: without a `<`
        # there is no element or attribute to remove, and the text stays as it is.
        return clean(text) if "<" in text else text


class SanitiseExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Markdown's API name)
        # Priority 0: after raw HTML is restored (30) and entities are substituted (20).
        md.postprocessors.register(_Sanitise(md), "portal_sanitise", 0)


def makeExtension(**kwargs: object) -> SanitiseExtension:  # noqa: N802 (Markdown's API name)
    return SanitiseExtension(**kwargs)
