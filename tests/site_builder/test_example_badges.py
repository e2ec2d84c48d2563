"""Example data looks like example data: a 示例 badge wherever a person sees it, no tap-to-call.

The site is the real content built into a temporary folder; every page is scanned.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from site_builder.catalog import Catalogue
from site_builder.render.text import tel_href

BADGE = re.compile(r'<span class="portal-badge portal-badge--example"[^>]*>示例</span>')


@pytest.fixture(scope="module")
def html_pages(built_site: Path) -> dict[str, str]:
    """Every built page's HTML by site path, without the search index and sitemap."""
    found = {}
    for path in built_site.rglob("*.html"):
        url = "/" + path.relative_to(built_site).as_posix().removesuffix("index.html")
        found[url] = path.read_text(encoding="utf-8")
    assert len(found) > 50
    return found


def _links_to(html: str, target: str) -> bool:
    return re.search(rf'href="(?:[./]*/)?{re.escape(target.lstrip("/"))}"', html) is not None


def _example_pages(catalogue: Catalogue) -> dict[str, str]:
    """Site path of every example listing's own page → what it is."""
    pages = {f"/courses/{c.id}/": "课程" for c in catalogue.courses.values() if c.example}
    pages |= {f"/bases/{b.id}/": "培训基地" for b in catalogue.bases.values() if b.example}
    pages |= {f"/job-fairs/{j.id}/": "招聘会" for j in catalogue.job_fairs.values() if j.example}
    return pages


def test_every_page_showing_an_example_listing_carries_the_badge(
    html_pages: dict[str, str], catalogue: Catalogue
) -> None:
    examples = _example_pages(catalogue)
    assert len(examples) == 23 + 9 + 8
    showing = 0
    for url, html in html_pages.items():
        shown = [target for target in examples if url == target or _links_to(html, target)]
        if not shown:
            continue
        showing += 1
        assert BADGE.search(html), f"{url} shows {shown[0]} without a 示例 badge"
    assert showing > 40


def test_each_example_page_says_it_is_an_example_and_each_card_carries_the_badge(
    html_pages: dict[str, str], catalogue: Catalogue
) -> None:
    for url, what in _example_pages(catalogue).items():
        note = re.search(r'<p class="portal-example-note">(.*?)</p>', html_pages[url], re.S)
        assert note is not None, url
        assert BADGE.search(note.group(1))
        assert f"这是示例{what},名称、地址、电话和日期都不是真实信息" in note.group(1)
    cards = re.findall(r'<div class="portal-card".*?</div>', html_pages["/courses/"], re.S)
    assert cards
    for card in cards:
        course_id = re.search(r'href="[^"]*courses/([^/"]+)/"', card).group(1)  # type: ignore[union-attr]
        assert bool(BADGE.search(card)) == catalogue.courses[course_id].example, course_id


def test_example_phone_numbers_are_not_tap_to_call_anywhere(
    html_pages: dict[str, str], catalogue: Catalogue
) -> None:
    made_up = {b.phone for b in catalogue.bases.values() if b.example}
    made_up |= {j.phone for j in catalogue.job_fairs.values() if j.example and j.phone}
    made_up |= {u.phone for u in catalogue.units.values() if u.phone and u.contact_example}
    real = {b.phone for b in catalogue.bases.values() if not b.example}
    assert made_up and not made_up & real
    for url, html in html_pages.items():
        for number in made_up:
            assert f'href="{tel_href(number)}"' not in html, f"{url}: {number} is tap-to-call"


def test_real_facts_from_the_notice_stay_unmarked(
    html_pages: dict[str, str], catalogue: Catalogue
) -> None:
    centre = html_pages["/bases/b01-shizong-peixun-zhongxin/"]
    assert catalogue.bases["b01-shizong-peixun-zhongxin"].example is False
    article = centre[centre.index("<article") : centre.index("</article>")]
    assert "portal-example-note" not in article
    assert '<a href="tel:02165124362">65124362</a>' in article
    assert "上海市杨浦区吉林路2号" in article
