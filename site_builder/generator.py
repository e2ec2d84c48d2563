"""The only module that imports MkDocs: turn a docs tree into HTML with Material, strictly.

Everything before this step is ours (records rendered to Markdown with Jinja2), so moving to
another generator means replacing this module, `overrides/` and `segmenting.py` (the search
plugin's segmentation run beside it), nothing else.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib import metadata
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import jinja2
from markdown.extensions.toc import slugify_unicode
from mkdocs.commands.build import build
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import MkDocsException
from mkdocs.plugins import BasePlugin, event_priority
from mkdocs.structure.files import get_files

from site_builder.catalog import today
from site_builder.render.environment import compiled_templates
from site_builder.segmenting import Segmenter

OVERRIDES = Path(__file__).resolve().parent / "overrides"
PALETTE_COLOUR = "#c62828"
# Material's bundle fetches these from unpkg.com when a browser lacks ResizeObserver (older
# WeChat/X5 kernels) or a page has a `mermaid` diagram. Neither host may be needed in China:
# the first points at our own small polyfill, the second at nothing (the sanitiser strips
# `mermaid` classes, so no page ever asks for it).
THEME_DOWNLOADS = {
    "https://unpkg.com/resize-observer-polyfill": "assets/portal-resize-observer.js",
    "https://unpkg.com/mermaid@11/dist/mermaid.min.js": "assets/mermaid-is-not-offered.js",
}


class GeneratorError(Exception):
    """MkDocs refused the docs tree; `messages` holds every warning and error it logged."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__("\n".join(messages))
        self.messages = messages


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collected() -> Iterator[_Collect]:
    """Collect MkDocs' warnings instead of printing them; our command prints them as problems."""
    logger = logging.getLogger("mkdocs")
    handler = _Collect()
    propagate = logger.propagate
    logger.addHandler(handler)
    logger.propagate = False
    try:
        yield handler
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _nav(items: list[Any]) -> list[dict[str, Any]]:
    return [
        {title: _nav(target) if isinstance(target, list) else target} for title, target in items
    ]


def config(
    *, docs_dir: Path, out_dir: Path, nav: list[Any], site_name: str, site_url: str
) -> dict[str, Any]:
    """Return the MkDocs configuration; no key reaches the network at build or view time."""
    return {
        "site_name": site_name,
        "site_url": site_url,
        "docs_dir": str(docs_dir),
        "site_dir": str(out_dir),
        "use_directory_urls": True,
        "strict": True,
        "nav": _nav(nav),
        "copyright": "上海市总工会 · 技能培训促就业行动",
        "theme": {
            "name": "material",
            "custom_dir": str(OVERRIDES),
            "language": "zh",
            "font": False,  # system fonts: Google Fonts is unreachable from much of China
            "features": ["search.highlight"],
            "icon": {"logo": "material/account-hard-hat"},
        },
        "plugins": ["search"],
        "markdown_extensions": [
            "attr_list",
            "md_in_html",
            "tables",
            "def_list",
            # Chinese headings keep their words as anchors (#课程信息) instead of #_1, #_2.
            {"toc": {"permalink": False, "slugify": slugify_unicode}},
            "site_builder.render.rawblocks",  # our own HTML blocks, not parsed again
            "site_builder.render.sanitize",
        ],
        "extra_css": ["assets/portal.css"],
        "extra_javascript": [{"path": "assets/portal.js", "defer": True}],
        "extra": {"generator": False, "theme_colour": PALETTE_COLOUR},
        "validation": {
            "omitted_files": "info",  # listings are reached from their catalogue, not the sidebar
            "absolute_links": "info",  # /apply/… belongs to the form service, not the docs
            "unrecognized_links": "warn",
            "anchors": "warn",
            "not_found": "warn",
        },
    }


class _NotTheDirtyWarning(logging.Filter):
    """Drop MkDocs' caution about `dirty` builds: we only build dirty over our own last build."""

    def filter(self, record: logging.LogRecord) -> bool:
        return "'dirty' build" not in record.getMessage()


@contextmanager
def _quiet_dirty(dirty: bool) -> Iterator[None]:
    logger = logging.getLogger("mkdocs.commands.build")
    hush = _NotTheDirtyWarning()
    if dirty:
        logger.addFilter(hush)
    try:
        yield
    finally:
        logger.removeFilter(hush)


def build_html(
    *,
    docs_dir: Path,
    out_dir: Path,
    nav: list[Any],
    site_name: str,
    site_url: str,
    previous_index: dict[str, Any] | None = None,
    segmenter: Segmenter | None = None,
) -> None:
    """Build `docs_dir` into `out_dir`; raise GeneratorError on any warning (strict mode).

    With `previous_index` (the search index of the site `out_dir` was copied from), the build
    is MkDocs' `dirty` one: only pages whose docs file is newer than their HTML are rendered,
    and the search index keeps the other pages' entries from `previous_index`. `segmenter`,
    a helper from `started_segmenter()` that no build has used yet, may be started before the
    docs are rendered; else one is started here.
    """
    dirty = previous_index is not None
    settings = config(
        docs_dir=docs_dir, out_dir=out_dir, nav=nav, site_name=site_name, site_url=site_url
    )
    with (
        _collected() as collected,
        _build_date(today()),
        _quiet_dirty(dirty),
        # Started before MkDocs loads: its imports and jieba's dictionary overlap MkDocs' own.
        contextlib.nullcontext(segmenter) if segmenter else started_segmenter() as segmenter,
    ):
        cfg = MkDocsConfig(config_file_path=str(docs_dir.parent / "mkdocs.yml"))
        cfg.load_dict(settings)
        errors, warnings = cfg.validate()
        problems = [f"{key}: {message}" for key, message in errors + warnings]
        if problems:
            raise GeneratorError(problems)
        # jieba (imported by the search plugin) announces its dictionary on every first use.
        logging.getLogger("jieba").setLevel(logging.WARNING)
        cfg.plugins["portal/segmenting"] = _SegmentAside(segmenter)
        cfg.plugins["portal/compiled-theme"] = _CompiledTheme()
        # MkDocs keeps one search plugin per process, and told `dirty` it carries the last
        # build's index (of whichever site) into the next; our own merge below is the one.
        cfg.plugins.on_startup(command="build", dirty=False)
        try:
            build(cfg, dirty=dirty)
        except MkDocsException as exc:
            raise GeneratorError(collected.messages or [str(exc)]) from None
        finally:
            cfg.plugins.on_shutdown()
        if collected.messages:
            raise GeneratorError(collected.messages)
        if previous_index is not None:
            _merge_search_index(out_dir, previous=previous_index, order=_page_order(cfg))
    _localise_theme_downloads(out_dir, base_path=urlsplit(site_url).path or "/")
    _compact_search_index(out_dir)


class _CompiledTheme(BasePlugin):  # type: ignore[type-arg]
    """Keep the theme's compiled templates between builds, as our own Jinja environment does.

    MkDocs makes a new environment for every build, in a long-lived process too, and compiling
    Material's templates took longer than rendering the pages of a one-listing publish.
    """

    def on_env(self, env: jinja2.Environment, /, *, config: MkDocsConfig, files: Any) -> Any:
        # Compiled code depends on MkDocs' environment settings as well: one cache per version.
        made_by = "-".join(metadata.version(p) for p in ("mkdocs", "mkdocs-material", "jinja2"))
        env.bytecode_cache = compiled_templates(pattern=f"__portal_theme_{made_by}_%s")
        return env


def started_segmenter() -> contextlib.closing[Segmenter]:
    """Start the search index's segmentation helper for one `build_html` (see segmenting).

    It loads jieba's dictionary, the longest part of a build that renders a few pages, as soon
    as it starts: start it before rendering the docs, and it is ready when MkDocs needs it.
    """
    return contextlib.closing(Segmenter())


class _SegmentAside(BasePlugin):  # type: ignore[type-arg]
    """Have the search plugin hand its Chinese segmentation to `segmenter` (see segmenting)."""

    def __init__(self, segmenter: Segmenter) -> None:
        super().__init__()
        self.segmenter = segmenter

    def on_pre_build(self, *, config: MkDocsConfig) -> None:
        # The search plugin makes its index in on_config, which runs before on_pre_build.
        index = self._index(config)
        if index is not None:
            index._segment_chinese = self.segmenter.defer

    @event_priority(50)  # before the search plugin writes its index (priority 0)
    def on_post_build(self, *, config: MkDocsConfig) -> None:
        index = self._index(config)
        if index is not None:
            self.segmenter.fill(index.entries)

    @staticmethod
    def _index(config: MkDocsConfig) -> Any:
        return getattr(config.plugins.get("material/search"), "search_index", None)


def read_search_index(site_dir: Path) -> dict[str, Any] | None:
    """Return a built site's search index, or None when it has none."""
    try:
        data = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _page_order(cfg: MkDocsConfig) -> list[str]:
    """Return the URLs of the documentation pages in the order a full build indexes them."""
    # The index names pages as the search plugin does: unquoted, the home page as "".
    urls = (unquote(f.url) for f in get_files(cfg).documentation_pages())
    return ["" if url == "./" else url for url in urls]


def _merge_search_index(out_dir: Path, *, previous: dict[str, Any], order: list[str]) -> None:
    """Give a dirty build's search index the entries of the pages it did not render."""
    index = out_dir / "search" / "search_index.json"
    fresh = json.loads(index.read_text(encoding="utf-8"))

    def by_page(docs: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
        grouped: dict[str, list[dict[str, Any]]] = {}
        for doc in docs:
            grouped.setdefault(doc["location"].split("#")[0], []).append(doc)
        return grouped

    rendered, kept = by_page(fresh["docs"]), by_page(previous.get("docs", []))
    fresh["docs"] = [doc for url in order for doc in rendered.get(url, kept.get(url, []))]
    index.write_text(json.dumps(fresh, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")


@contextmanager
def _build_date(day: date) -> Iterator[None]:
    """Date the pages (the sitemap's lastmod) by the one clock, not the machine's date.

    MkDocs reads SOURCE_DATE_EPOCH for reproducible builds; noon UTC keeps the same calendar
    date in Shanghai and in UTC.
    """
    before = os.environ.get("SOURCE_DATE_EPOCH")
    noon = datetime(day.year, day.month, day.day, 12, tzinfo=UTC)
    os.environ["SOURCE_DATE_EPOCH"] = str(int(noon.timestamp()))
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("SOURCE_DATE_EPOCH", None)
        else:
            os.environ["SOURCE_DATE_EPOCH"] = before


def _compact_search_index(out_dir: Path) -> None:
    """Rewrite the search index as UTF-8: the plugin writes every Chinese character as `\\uXXXX`.

    Material fetches the index on the first page a visitor opens; this halves it on disk and
    takes a fifth off what a phone downloads (gzip).
    """
    index = out_dir / "search" / "search_index.json"
    if index.is_file():
        data = json.loads(index.read_text(encoding="utf-8"))
        index.write_text(
            json.dumps(data, ensure_ascii=False, separators=(",", ":")), encoding="utf-8"
        )


def _localise_theme_downloads(out_dir: Path, *, base_path: str) -> None:
    """Point the theme's run-time downloads at this site instead of a foreign CDN."""
    for bundle in (out_dir / "assets" / "javascripts").glob("bundle.*.min.js"):
        text = bundle.read_text(encoding="utf-8")
        for foreign, local in THEME_DOWNLOADS.items():
            text = text.replace(f'"{foreign}"', f'"{base_path.rstrip("/")}/{local}"')
        bundle.write_text(text, encoding="utf-8")
