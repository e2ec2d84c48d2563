"""Staff mistakes stay harmless: markup typed into YAML or Markdown shows as text or is removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from site_builder.catalog import Catalogue
from tests.support.content import write_yaml
from tests.support.payloads import MARKUP as PAYLOADS
from tests.support.scan import Document, read_all
from tests.support.settings import REAL_CONTENT
from tests.support.site import build, foreign_scripts, live_markup

MARKDOWN_EXTRAS = [
    '<div id="__config" data-md-component="search">{"search": "//evil/worker.js"}</div>',
    '<p class="mermaid">graph TD; A-->B</p>',
    "![x](https://evil.example/x.png)",
    "[y](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '# 标题 {: onclick="alert(1)" }',
    "<style>body{display:none}</style>",
]
# The extras come first: `<iframe src=//evil>` never closes, so what follows it becomes its text.
DESCRIPTION = "\n\n".join(MARKDOWN_EXTRAS + PAYLOADS)


def _payload_content(root: Path, catalogue: Catalogue) -> Path:
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    course = next(iter(catalogue.courses.values()))
    fair = next(iter(catalogue.job_fairs.values()))
    for number, payload in enumerate(PAYLOADS, start=1):
        write_yaml(
            content / f"courses/x{number:02d}.yaml",
            {
                "id": f"x{number:02d}",
                "title": f"维修电工{payload}",
                "kind": "skills",
                "occupation": payload,
                "level": "五级",
                "base": "x-base",
                "unit": course.unit,
                "start_date": "2011-08-01",
                "end_date": "2011-09-30",
                "apply_by": "2011-07-20",
                "capacity": "20",
                "hours": "80",
                "fee": "800",
                "subsidy": payload,
                "schedule": payload,
                "eligibility": DESCRIPTION,
                "certificate": payload,
                "description": DESCRIPTION,
            },
        )
    write_yaml(
        content / "bases/x-base.yaml",
        {
            "id": "x-base",
            "name": f"培训基地{PAYLOADS[1]}",
            "unit": course.unit,
            "address": f"浦东新区{PAYLOADS[0]}",
            "phone": "65124362",
            "contact": PAYLOADS[2],
            "transport": PAYLOADS[11],
            "description": DESCRIPTION,
        },
    )
    write_yaml(
        content / "job_fairs/x-fair.yaml",
        {
            "id": "x-fair",
            "title": f"招聘会{PAYLOADS[7]}",
            "date": "2011-08-20",
            "start_time": "09:00",
            "end_time": "11:00",
            "unit": fair.unit,
            "venue": PAYLOADS[1],
            "address": PAYLOADS[0],
            "transport": PAYLOADS[3],
            "organisers": {"主办": [PAYLOADS[12]]},
            "bring": PAYLOADS[:4],
            "services": PAYLOADS[4:8],
            "description": DESCRIPTION,
        },
    )
    faq = content / "pages/faq.md"
    faq.write_text(faq.read_text(encoding="utf-8") + "\n\n" + DESCRIPTION + "\n", encoding="utf-8")
    return content


@pytest.fixture(scope="module")
def payload_site(tmp_path_factory: pytest.TempPathFactory, catalogue: Catalogue) -> Path:
    """The real content plus a course per payload, a base, a fair and a page full of them."""
    root = tmp_path_factory.mktemp("payloads")
    content = _payload_content(root, catalogue)
    build(content, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def payload_pages(payload_site: Path) -> dict[str, Document]:
    return read_all(payload_site)


def test_no_script_but_the_theme_and_ours(payload_pages: dict[str, Document]) -> None:
    assert foreign_scripts(payload_pages) == []


def test_no_event_handlers_and_no_script_urls(payload_pages: dict[str, Document]) -> None:
    assert live_markup(payload_pages) == []


def test_theme_ids_and_foreign_images_are_removed(payload_pages: dict[str, Document]) -> None:
    faq = payload_pages["/faq/"]
    configs = [attrs for attrs, _ in faq.scripts if attrs.get("id") == "__config"]
    assert len(configs) == 1
    assert [e.attrs["id"] for e in faq.elements if e.attrs.get("id") == "__config"] == ["__config"]
    searches = [e for e in faq.elements if e.attrs.get("data-md-component") == "search"]
    assert searches == [
        e for e in searches if e.attrs.get("class") == "md-search"
    ]  # the theme's own
    assert not [e for e in faq.elements if "mermaid" in e.attrs.get("class", "")]
    assert [e.attrs.get("src") for e in faq.elements if e.tag == "img"] == [None, "x"]


def test_titles_show_exactly_what_staff_typed(payload_pages: dict[str, Document]) -> None:
    for number, payload in enumerate(PAYLOADS, start=1):
        page = payload_pages[f"/courses/x{number:02d}/"]
        title = f"维修电工{payload}"
        assert page.text_of("h1") == title
        assert page.text_of("title") == f"{title} - 上海工会“技能培训促就业行动”"
        (data,) = page.jsonld()
        assert data["name"] == " ".join(title.split())
        assert (
            data["hasCourseInstance"]["location"]["address"]["streetAddress"]
            == f"浦东新区{PAYLOADS[0]}"
        )


def test_template_syntax_is_not_evaluated(payload_pages: dict[str, Document]) -> None:
    page = payload_pages["/courses/x09/"]
    assert page.text_of("h1") == "维修电工{{7*7}}"
    assert "{{7*7}}" in page.text_of("dd")
    assert "维修电工49" not in page.text_of("article")


def test_listing_and_fair_pages_show_payloads_as_text(payload_pages: dict[str, Document]) -> None:
    fair = payload_pages["/job-fairs/x-fair/"]
    assert fair.text_of("h1") == f"招聘会{PAYLOADS[7]}"
    assert PAYLOADS[1] in fair.text_of("dd")
    base = payload_pages["/bases/x-base/"]
    assert base.text_of("h1") == f"培训基地{PAYLOADS[1]}"
    assert f"浦东新区{PAYLOADS[0]}" in base.text_of("dd")
    catalogue_text = payload_pages["/courses/"].text_of("a")
    assert "维修电工<script>alert(1)</script>" in catalogue_text


def test_search_index_holds_no_live_markup(payload_site: Path) -> None:
    """Material shows search results as HTML, so the index may hold escaped text only."""
    docs = json.loads((payload_site / "search/search_index.json").read_text(encoding="utf-8"))[
        "docs"
    ]
    texts = [doc["title"] + doc["text"] for doc in docs]
    assert any("&lt;script&gt;" in text for text in texts)
    assert [
        t for t in texts if "<script" in t or "<img" in t or "<iframe" in t or "<svg" in t
    ] == []
