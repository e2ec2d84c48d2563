"""The Jinja2 environment that writes Markdown pages: every value is escaped unless we say not."""

from __future__ import annotations

import html
import json
import re
from functools import cache
from typing import Any

import jinja2
from markupsafe import Markup

from site_builder.catalog import vocabulary as v
from site_builder.render import paths, rawblocks
from site_builder.render.text import finalize, money, short_date, tel_href, zh_date

# Characters YAML refuses or folds into spaces (NEL, LS, PS); written as \u escapes instead.
_YAML_UNPRINTABLE = re.compile("[\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


@jinja2.pass_context
def _href(context: Any, to_src: str) -> Markup:
    """Return a relative URL from the page being rendered (`src`) to another docs file."""
    return Markup(paths.href(context["src"], to_src))


@jinja2.pass_context
def _md_link(context: Any, to_src: str) -> Markup:
    return Markup(paths.md_link(context["src"], to_src))


# Stands for the way back to the site root in a card; YAML cannot carry a NUL, so no staff
# text can contain it.
_ROOT = "\x00root\x00"


@jinja2.pass_context
def _course_card(context: Any, item: Any) -> Markup:
    """Return one course's card for the page being rendered (`src`)."""
    return Markup(_card(item).replace(_ROOT, "../" * context["src"].count("/")))


@cache
def _card(item: Any) -> str:
    # A course shows up on five or six list pages at different depths: render its card once,
    # with links through the site root, and fill in the way back to the root per page.
    card = environment().get_template("_card.md.j2")
    return card.render(item=item, root=Markup(_ROOT)).strip()


def clear_caches() -> None:
    """Forget the cards of the previous build (called before and after each render)."""
    _card.cache_clear()


def _html(value: str) -> Markup:
    """Escape for raw HTML blocks, where Markdown does not run and backslashes would show."""
    return Markup(html.escape(" ".join(value.split()), quote=True))


def _tel(phone: str) -> Markup:
    return Markup(tel_href(phone))


def _richtext(markdown: str) -> Markup:
    """Return staff Markdown to embed in a page, headings pushed below the page's own."""
    demoted = re.sub(r"(?m)^(\s{0,3})(#{1,4})(?=\s)", r"\1##\2", markdown.strip())
    return Markup(demoted)


def compiled_templates(pattern: str = "__jinja2_%s.cache") -> jinja2.BytecodeCache | None:
    """Return Jinja's per-user folder of compiled templates in the temp folder, so that they
    survive the process; None where there is no safe, writable temp folder (a hardened service
    without PrivateTmp): templates are then compiled each time, and the build still runs."""
    try:
        return jinja2.FileSystemBytecodeCache(pattern=pattern)
    except (OSError, RuntimeError):
        return None


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("site_builder", "templates"),
        autoescape=True,
        finalize=finalize,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        # Each `portal build` is a new process, and compiling costs more than rendering 30 pages.
        bytecode_cache=compiled_templates(),
    )
    env.filters.update(
        zh_date=zh_date,
        weekday_date=lambda d: zh_date(d, weekday=True),
        short_date=short_date,
        money=money,
        tel=_tel,
        html=_html,
        richtext=_richtext,
        state_slug=lambda state: paths.STATE_SLUGS[state],
        group_slug=lambda group: paths.GROUP_SLUGS.get(group, "others"),
    )
    env.globals.update(
        href=_href,
        md_link=_md_link,
        course_card=_course_card,
        HTML_BLOCK=Markup(rawblocks.MARK),
        HTML_ELEMENT=Markup(rawblocks.MARK_ELEMENT),
        paths=paths,
        kinds=v.KINDS,
        levels=v.LEVELS,
        OPEN=v.OPEN,
        CLOSING_SOON=v.CLOSING_SOON,
        FULL=v.FULL,
        CLOSED=v.CLOSED,
        ENDED=v.ENDED,
        WITHDRAWN=v.WITHDRAWN,
    )
    return env


def render(template: str, /, **context: Any) -> str:
    """Render one page template; `src` (the page's docs path) is required for its links."""
    return environment().get_template(template).render(**context)


def yaml_string(value: str) -> str:
    """Return `value` as a double-quoted YAML scalar (JSON string syntax, which YAML accepts)."""
    quoted = json.dumps(value, ensure_ascii=False)
    return _YAML_UNPRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def front_matter(
    *, title: str, description: str = "", jsonld: str = "", search: bool = True
) -> str:
    """Return the page's YAML front matter; the theme prints `title`/`description` unescaped."""
    lines = ["---", f"title: {yaml_string(html.escape(title))}"]
    if description:
        lines.append(
            f"description: {yaml_string(html.escape(' '.join(description.split())[:120]))}"
        )
    if jsonld:
        lines.append(f"jsonld: {yaml_string(jsonld)}")
    if not search:
        lines.append("search:\n  exclude: true")
    lines.append("---\n\n")
    return "\n".join(lines)
