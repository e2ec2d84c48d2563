"""Render the catalogue into a docs tree for the generator: pure functions, records in, text out."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from site_builder.catalog import Catalogue, ContentError, Course, JobFair, Origin, Problem
from site_builder.render import calendar, environment, listing, opendata, pages, paths

SITE_NAME = "上海工会“技能培训促就业行动”"

# The sidebar: a page, or a section of pages (two levels, never one entry per listing).
NavItem = tuple[str, str | list[tuple[str, str]]]
# memo(src, make, *args, **kwargs): the page `src`, that is `make(*args, **kwargs)`, or the
# same call's page kept from the last build (see page_memo).
PageMemo = Callable[..., str]


def _always(src: str, make: Callable[..., str], *args: Any, **kwargs: Any) -> str:
    return make(*args, **kwargs)


@dataclass
class Site:
    """Everything the generator needs: the docs files, the navigation and the QR codes to draw."""

    files: dict[str, str | bytes] = field(default_factory=dict)
    nav: list[NavItem] = field(default_factory=list)
    qr_codes: dict[str, str] = field(default_factory=dict)  # docs path -> URL it opens
    origins: dict[str, Origin] = field(default_factory=dict)  # docs path -> content it came from
    name: str = SITE_NAME


def _reserved_ids(catalogue: Catalogue) -> list[Problem]:
    """Return a problem for each id that would collide with the site's own pages or feeds."""
    records: list[tuple[Course | JobFair, frozenset[str]]]
    records = [(c, paths.RESERVED_COURSE_IDS) for c in catalogue.courses.values()]
    records += [(f, paths.RESERVED_FAIR_IDS) for f in catalogue.job_fairs.values()]
    return [
        Problem(r.origin.path, r.origin.line_of("id"), f'编号 "{r.id}" 是网站保留的名称,请换一个')
        for r, reserved in records
        if r.id in reserved and r.origin is not None
    ]


def _remember(site: Site, src: str, origin: Origin | None) -> None:
    if origin is not None:
        site.origins[src] = origin


def navigation(catalogue: Catalogue) -> list[NavItem]:
    """Return the short sidebar: sections only, never one entry per listing."""
    about = [
        (label, paths.page(slug))
        for slug, label in (("programme", "行动介绍"), ("service-chain", "一条龙服务"))
        if slug in catalogue.pages
    ]
    about += [
        (page.title, paths.page(slug))
        for slug, page in sorted(catalogue.pages.items())
        if slug not in paths.PROGRAMME_PAGES
    ]
    nav: list[NavItem] = [
        ("首页", paths.HOME),
        ("培训课程", paths.COURSES),
        ("培训基地", paths.BASES),
        ("招聘会", paths.JOB_FAIRS),
    ]
    if about:
        nav.append(("行动介绍与一条龙服务", about))
    for slug, label in (("faq", "常见问题"), ("contacts", "联系我们"), ("privacy", "个人信息保护")):
        if slug in catalogue.pages:
            nav.append((label, paths.page(slug)))
    return nav


def render_site(
    catalogue: Catalogue, *, today: date, site_url: str, memo: PageMemo = _always
) -> Site:
    """Return the whole docs tree for `catalogue` as it stands on `today`.

    Each course and fair page is a call of a function of exactly what it shows, made through
    `memo`, which may give the page of the same call in the last build instead (see page_memo).
    """
    problems = _reserved_ids(catalogue)
    if problems:
        raise ContentError(problems)
    environment.clear_caches()
    try:
        return _render(catalogue, today=today, site_url=site_url, memo=memo)
    finally:
        environment.clear_caches()


def _render(catalogue: Catalogue, *, today: date, site_url: str, memo: PageMemo) -> Site:
    site = Site(nav=navigation(catalogue))
    files = site.files
    items = listing.listed(catalogue, today=today)
    files[paths.HOME] = pages.home(
        catalogue, items=items, today=today, site_name=site.name, site_url=site_url
    )
    files.update(listing.listing_pages(catalogue, today=today))
    for c in catalogue.courses.values():
        src = paths.course(c.id)
        # Applications go to the reporting unit (卢湾 → 黄浦): its contact answers questions.
        files[src] = memo(src, pages.course, c, base=catalogue.bases[c.base],
                          unit=catalogue.units[c.unit], handler=catalogue.reporting_unit(c.unit),
                          today=today, site_url=site_url)  # fmt: skip
        _remember(site, src, c.origin)
        site.qr_codes[paths.qr_code(src)] = paths.absolute(site_url, src)
    by_base: dict[str, list[listing.Listed]] = {}
    for item in items:
        by_base.setdefault(item.course.base, []).append(item)
    files[paths.BASES] = pages.bases(catalogue, items=items)
    for b in catalogue.bases.values():
        files[paths.base(b.id)] = pages.base(
            b, catalogue=catalogue, courses=by_base.get(b.id, []), site_url=site_url
        )
        _remember(site, paths.base(b.id), b.origin)
    files[paths.JOB_FAIRS] = pages.job_fairs(catalogue, today=today, site_url=site_url)
    for f in catalogue.job_fairs.values():
        src = paths.job_fair(f.id)
        files[src] = memo(src, pages.job_fair, f, unit=catalogue.units[f.unit],
                          handler=catalogue.reporting_unit(f.unit), today=today,
                          site_url=site_url)  # fmt: skip
        _remember(site, src, f.origin)
        site.qr_codes[paths.qr_code(src)] = paths.absolute(site_url, src)
    files.update(calendar.calendars(catalogue, today=today, site_url=site_url))
    for slug, page in catalogue.pages.items():
        files[paths.page(slug)] = pages.content_page(page, year=catalogue.year)
        _remember(site, paths.page(slug), page.origin)
    files[paths.CATALOG_JSON] = opendata.catalogue_json(catalogue, today=today, site_url=site_url)
    files[paths.CATALOG_CSV] = opendata.courses_csv(catalogue, today=today, site_url=site_url)
    files["job-fairs.csv"] = opendata.job_fairs_csv(catalogue, today=today, site_url=site_url)
    files["bases.csv"] = opendata.bases_csv(catalogue, site_url=site_url)
    return site
