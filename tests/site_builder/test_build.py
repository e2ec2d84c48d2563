"""The real content builds strictly, every listing has its page and every link lands somewhere."""

from __future__ import annotations

import csv
import io
import json
import re
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

import pytest

from site_builder.catalog import Catalogue
from site_builder.catalog import vocabulary as v
from site_builder.render import paths
from tests.support.scan import Document, file_for, resolve
from tests.support.settings import PINNED_TODAY, SITE_URL

TODAY = date.fromisoformat(PINNED_TODAY)
# Paths the form service answers; the static site links to them but does not hold them.
FORM_SERVICE = ("/apply/", "/api/", "/staff/", "/settings/")


def test_every_listing_has_its_page(pages: dict[str, Document], catalogue: Catalogue) -> None:
    for c in catalogue.courses.values():
        assert pages[f"/courses/{c.id}/"].text_of("h1") == c.title
        heading = re.search(
            r"<h1[^>]*>(.*?)</h1>", pages[f"/courses/{c.id}/"].path.read_text("utf-8")
        )
        assert heading is not None and heading.group(1) == c.title  # nothing swallowed into it
    for b in catalogue.bases.values():
        assert pages[f"/bases/{b.id}/"].text_of("h1") == b.name
    for f in catalogue.job_fairs.values():
        assert pages[f"/job-fairs/{f.id}/"].text_of("h1") == f.title
    for slug, page in catalogue.pages.items():
        assert pages[f"/{slug}/"].text_of("h1") == page.title
    for fixed in (
        "/",
        "/courses/",
        "/bases/",
        "/job-fairs/",
        "/programme/",
        "/contacts/",
        "/privacy/",
        "/faq/",
        "/service-chain/",
    ):
        assert fixed in pages


def test_every_internal_link_and_anchor_resolves(
    built_site: Path, pages: dict[str, Document]
) -> None:
    broken = []
    for document in pages.values():
        for attribute, link in document.links():
            target = resolve(document, link)
            if target is None or target[0].startswith(FORM_SERVICE):
                continue
            site_path, fragment = target
            if not file_for(built_site, site_path).is_file():
                broken.append(f"{document.url}: {attribute}={link}")
            elif fragment and site_path.endswith("/") and fragment not in pages[site_path].ids:
                broken.append(f"{document.url}: {link} (no #{fragment})")
    assert broken == []


def test_form_service_links_use_the_agreed_routes(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    for c in catalogue.courses.values():
        hrefs = [
            link for _, link in pages[f"/courses/{c.id}/"].links() if link.startswith("/apply/")
        ]
        state = c.state_on(TODAY)
        expected = f"{paths.APPLY[c.kind]}?course={c.id}"
        if state in (v.OPEN, v.CLOSING_SOON, v.FULL):
            assert hrefs == [expected, "/apply/status"], c.id
        else:
            assert hrefs == ["/apply/status"], c.id
    assert "/apply/jobseeker" in [link for _, link in pages["/"].links()]


def test_course_states_match_the_build_date(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    for c in catalogue.courses.values():
        badge = [
            e
            for e in pages[f"/courses/{c.id}/"].elements
            if "portal-badge" in e.attrs.get("class", "")
            and "portal-badge--example" not in e.attrs.get("class", "")
        ]
        assert (
            badge[0].attrs["class"]
            == f"portal-badge portal-badge--{paths.STATE_SLUGS[c.state_on(TODAY)]}"
        )


def test_filter_pages_list_exactly_their_courses(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    courses = list(catalogue.courses.values())
    expected = {
        "/courses/": {c.id for c in courses},
        "/courses/by/state/accepting/": {c.id for c in courses if c.accepts_sign_ups_on(TODAY)},
        "/courses/by/kind/skills/": {c.id for c in courses if c.kind == "skills"},
        "/courses/by/kind/housekeeping/": {c.id for c in courses if c.kind == "housekeeping"},
    }
    for state, slug in paths.STATE_SLUGS.items():
        chosen = {c.id for c in courses if c.state_on(TODAY) == state}
        if chosen:
            expected[f"/courses/by/state/{slug}/"] = chosen
    for url, ids in expected.items():
        listed = {
            e.attrs["href"].rstrip("/").rsplit("/", 1)[-1]
            for e in pages[url].elements
            if e.tag == "a" and "portal-card__title" in e.attrs.get("class", "")
        }
        assert listed == ids, url


def test_sidebar_stays_short(pages: dict[str, Document], catalogue: Catalogue) -> None:
    course = next(iter(catalogue.courses))
    nav_links = [
        e
        for e in pages[f"/courses/{course}/"].elements
        if "md-nav__link" in e.attrs.get("class", "")
    ]
    assert len(nav_links) < 25


def test_every_calendar_parses(built_site: Path, catalogue: Catalogue) -> None:
    from icalendar import Calendar

    for f in catalogue.job_fairs.values():
        cal = Calendar.from_ical((built_site / f"job-fairs/{f.id}.ics").read_bytes())
        (event,) = cal.walk("VEVENT")
        assert str(event["summary"]) == f.title
        assert event.decoded("dtstart").isoformat() == f"{f.date}T{f.start_time}:00+08:00"
        assert event.decoded("dtend").isoformat() == f"{f.date}T{f.end_time}:00+08:00"
        assert str(event["url"]) == f"{SITE_URL}job-fairs/{f.id}/"
    feed = Calendar.from_ical((built_site / "job-fairs/upcoming.ics").read_bytes())
    uids = [str(e["uid"]).split("@")[0] for e in feed.walk("VEVENT")]
    assert uids == [f.id for f in catalogue.job_fairs.values() if f.date >= TODAY]


def _typed(data: dict, kind: str) -> bool:
    types = data["@type"] if isinstance(data["@type"], list) else [data["@type"]]
    return kind in types


def test_every_jsonld_block_parses_with_required_properties(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    from site_builder.render.structured import REQUIRED

    seen = {kind: 0 for kind in REQUIRED}
    for document in pages.values():
        for data in document.jsonld():
            assert data["@context"] == "https://schema.org"
            for kind, required in REQUIRED.items():
                if _typed(data, kind):
                    seen[kind] += 1
                    assert [key for key in required if not data.get(key)] == [], document.url
            if _typed(data, "Course"):
                instance = data["hasCourseInstance"]
                assert [key for key in REQUIRED["CourseInstance"] if not instance.get(key)] == []
    assert seen["Course"] == len(catalogue.courses)
    assert seen["Event"] == len(catalogue.job_fairs)
    assert seen["EducationalOrganization"] == len(catalogue.bases)


def test_no_past_fair_is_offered_as_upcoming(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    (item_list,) = pages["/job-fairs/"].jsonld()
    upcoming = [
        f"{SITE_URL}job-fairs/{f.id}/" for f in catalogue.job_fairs.values() if f.date >= TODAY
    ]
    assert [item["url"] for item in item_list["itemListElement"]] == upcoming
    home_fairs = [link for _, link in pages["/"].links() if link.startswith("job-fairs/f")]
    assert home_fairs == [f"job-fairs/{u.rsplit('/', 2)[-2]}/" for u in upcoming][: len(home_fairs)]
    for f in catalogue.job_fairs.values():
        classes = [e.attrs.get("class", "") for e in pages[f"/job-fairs/{f.id}/"].elements]
        expected = (
            "portal-badge portal-badge--open"
            if f.date >= TODAY
            else "portal-badge portal-badge--ended"
        )
        assert expected in classes


def test_sitemap_lists_every_page(built_site: Path, catalogue: Catalogue) -> None:
    tree = ET.parse(built_site / "sitemap.xml")
    locations = {e.text for e in tree.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")}
    for c in catalogue.courses.values():
        assert f"{SITE_URL}courses/{c.id}/" in locations
    for f in catalogue.job_fairs.values():
        assert f"{SITE_URL}job-fairs/{f.id}/" in locations


def test_open_data_holds_the_whole_catalogue(built_site: Path, catalogue: Catalogue) -> None:
    data = json.loads((built_site / "catalog.json").read_text(encoding="utf-8"))
    assert [c["id"] for c in data["courses"]] == list(catalogue.courses)
    assert [c["state"] for c in data["courses"]] == [
        c.state_on(TODAY) for c in catalogue.courses.values()
    ]
    assert [f["upcoming"] for f in data["job_fairs"]] == [
        f.date >= TODAY for f in catalogue.job_fairs.values()
    ]
    assert [b["id"] for b in data["bases"]] == list(catalogue.bases)
    raw = (built_site / "catalog.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0][:3] == ["编号", "课程名称", "培训类别"]
    assert [row[0] for row in rows[1:]] == list(catalogue.courses)


def test_qr_codes_open_their_own_page(built_site: Path, catalogue: Catalogue) -> None:
    from site_builder.render.qr import qr_svg

    for c in list(catalogue.courses.values())[:3]:
        svg = (built_site / f"courses/{c.id}/qr.svg").read_text(encoding="utf-8")
        assert svg == qr_svg(f"{SITE_URL}courses/{c.id}/")
    for f in catalogue.job_fairs.values():
        assert (
            (built_site / f"job-fairs/{f.id}/qr.svg").read_text(encoding="utf-8").startswith("<svg")
        )


def test_course_page_offers_live_seats_without_needing_them(
    pages: dict[str, Document], catalogue: Catalogue
) -> None:
    c = next(iter(catalogue.courses.values()))
    (seats,) = [
        e for e in pages[f"/courses/{c.id}/"].elements if "portal-seats" in e.attrs.get("class", "")
    ]
    assert seats.attrs == {
        "class": "portal-seats",
        "data-capacity": str(c.capacity),
        "data-course": c.id,
    }
    assert f"招生 {c.capacity} 人" in pages[f"/courses/{c.id}/"].text_of("p")
    scripts = [a.get("src") for a, _ in pages[f"/courses/{c.id}/"].scripts if a.get("src")]
    assert scripts[-1] == "../../assets/portal.js"


def test_base_phone_is_a_tel_link(pages: dict[str, Document], catalogue: Catalogue) -> None:
    """Real phones are tap-to-call; made-up ones (example: true) are plain text."""
    from site_builder.render.text import tel_href

    for b in catalogue.bases.values():
        linked = ("href", tel_href(b.phone)) in pages[f"/bases/{b.id}/"].links()
        assert linked is not b.example, b.id


def test_home_page_first_load_is_light(built_site: Path, pages: dict[str, Document]) -> None:
    """Everything the home page loads at once, gzip-compressed, stays well under 150 KB."""
    import gzip

    home = pages["/"]
    loaded = [built_site / "index.html", built_site / "search/search_index.json"]
    loaded += [built_site / src for src in (a.get("src") for a, _ in home.scripts) if src]
    loaded += [
        built_site / e.attrs["href"]
        for e in home.elements
        if e.tag == "link" and e.attrs.get("rel") == "stylesheet"
    ]
    worker = json.loads(
        next(text for attrs, text in home.scripts if attrs.get("id") == "__config")
    )["search"]
    loaded.append(built_site / worker)
    total = sum(len(gzip.compress(path.read_bytes())) for path in loaded)
    assert total < 120_000, f"{total:,} bytes"


@pytest.mark.parametrize("name", ["mkdocs.yml", ".git", "content"])
def test_nothing_but_the_site_is_published(built_site: Path, name: str) -> None:
    assert not (built_site / name).exists()
    assert list(built_site.rglob("*.yaml")) == []
