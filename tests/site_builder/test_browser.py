"""What a person sees in a real browser: flyers print on one page, seats show live, filters work."""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from site_builder.catalog import Catalogue

pytestmark = pytest.mark.browser


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (stdlib name)
        pass


@pytest.fixture(scope="module")
def server(built_site: Path) -> Iterator[str]:
    """Serve the built site the way any static web server would."""
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(built_site)))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()


def _pdf_pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


def test_every_job_fair_prints_as_a_one_page_flyer(
    browser: Any, server: str, catalogue: Catalogue
) -> None:
    page = browser.new_page()
    for fair in catalogue.job_fairs.values():
        page.goto(f"{server}/job-fairs/{fair.id}/")
        assert _pdf_pages(page.pdf(format="A4")) == 1, fair.id
    page.close()


def test_seats_show_live_when_the_form_service_answers(
    browser: Any, server: str, catalogue: Catalogue
) -> None:
    course = next(iter(catalogue.courses.values()))
    page = browser.new_page()
    page.goto(f"{server}/courses/{course.id}/")  # the static server has no API: capacity stays
    page.wait_for_load_state("networkidle")
    assert page.inner_text(".portal-seats") == f"招生 {course.capacity} 人"

    def answer(route: Any) -> None:
        route.fulfill(
            status=200, content_type="application/json", body=json.dumps({"seats_left": 7})
        )

    page.route(f"**/api/courses/{course.id}/availability", answer)
    page.reload()
    page.wait_for_function("document.querySelector('.portal-seats').textContent.includes('还剩')")
    assert page.inner_text(".portal-seats") == f"还剩 7 个名额(共 {course.capacity} 个)"
    page.close()


def test_filters_combine_on_the_page_with_javascript(
    browser: Any, server: str, catalogue: Catalogue
) -> None:
    page = browser.new_page()
    page.goto(f"{server}/courses/")
    page.select_option("select[data-key=kind]", "housekeeping")
    visible = page.locator(".portal-card:visible").count()
    assert visible == sum(1 for c in catalogue.courses.values() if c.kind == "housekeeping")
    assert page.inner_text(".portal-filter-form [role=status]") == f"本页显示 {visible} 个课程"
    page.close()


def test_filter_links_work_without_javascript(
    browser: Any, server: str, catalogue: Catalogue
) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{server}/courses/")
    assert page.locator("[data-portal-filter]").is_hidden()
    page.click("a.portal-chip:has-text('创业培训')")
    assert page.url == f"{server}/courses/by/kind/entrepreneurship/"
    titles = page.locator("a.portal-card__title").all_inner_texts()
    assert sorted(titles) == sorted(
        c.title for c in catalogue.courses.values() if c.kind == "entrepreneurship"
    )
    context.close()


def test_pages_ask_no_other_host(browser: Any, server: str) -> None:
    page = browser.new_page()
    asked: list[str] = []
    page.on("request", lambda request: asked.append(request.url))
    for path in ("/", "/courses/", "/job-fairs/", "/faq/"):
        page.goto(server + path)
        page.wait_for_load_state("networkidle")
    assert [url for url in asked if not url.startswith(server)] == []
    page.close()


def test_search_finds_a_word_from_inside_a_title(
    browser: Any, server: str, catalogue: Catalogue
) -> None:
    """Type `烹调师` (not the start of any title) and get the cookery course among the results."""
    wanted = [c.title for c in catalogue.courses.values() if "烹调师" in c.title]
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.goto(f"{server}/")
    page.focus("input.md-search__input")
    # The index loads in a worker; typing before it is ready would search nothing.
    page.wait_for_function(
        "!document.querySelector('.md-search-result__meta').textContent.includes('初始化')",
        timeout=60_000,
    )
    page.fill("input.md-search__input", "烹调师")
    # The theme searches on key-up; typed Chinese arrives through an input method, then a key.
    page.press("input.md-search__input", "End")
    page.wait_for_selector(".md-search-result__item", timeout=60_000)
    shown = page.locator(".md-search-result__item h1").all_inner_texts()
    # Result titles carry the index's zero-width separators between words.
    titles = {"".join(title.replace("\u200b", "").split()) for title in shown}
    assert wanted and set(wanted) <= titles, shown
    page.close()
