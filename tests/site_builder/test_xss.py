"""Staff mistakes stay harmless: markup typed into YAML or Markdown shows as text or is removed."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
import yaml

from site_builder.catalog import Catalogue
from tests.conftest import REAL_CONTENT
from tests.site.conftest import build
from tests.site.scan import Document, read_all

# Payload set P of the security reference (§3.8).
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' onmouseover=alert(1) x='",
    "javascript:alert(1)",
    "JaVaScRiPt:alert(1)",
    " javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "</script><script>alert(1)</script>",
    "{{7*7}}",
    "{% raw %}",
    "[x](javascript:alert(1))",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=//evil>",
    "<svg onload=alert(1)>",
]
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
THEME_INLINE_SCRIPTS = (
    "__md_scope=",  # Material
    "var palette=",  # Material
    "var target=document.getElementById(location.hash",  # Material
    "if (/(?:^|;\\s*)portal_large=1",  # ours: large text before first paint (overrides/main.html)
)
BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


def _write(path: Path, record: dict) -> None:
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")


def _payload_content(root: Path, catalogue: Catalogue) -> Path:
    content = root / "content"
    shutil.copytree(REAL_CONTENT, content)
    course = next(iter(catalogue.courses.values()))
    fair = next(iter(catalogue.job_fairs.values()))
    for number, payload in enumerate(PAYLOADS, start=1):
        _write(
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
    _write(
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
    _write(
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
def payload_site(tmp_path_factory: pytest.TempPathFactory, real_catalogue: Catalogue) -> Path:
    """The real content plus a course per payload, a base, a fair and a page full of them."""
    root = tmp_path_factory.mktemp("payloads")
    content = _payload_content(root, real_catalogue)
    build(content, root / "site")
    return root / "site"


@pytest.fixture(scope="module")
def payload_pages(payload_site: Path) -> dict[str, Document]:
    return read_all(payload_site)


def test_no_script_but_the_theme_and_ours(payload_pages: dict[str, Document]) -> None:
    found = []
    for document in payload_pages.values():
        for attrs, text in document.scripts:
            if attrs.get("src"):
                if not attrs["src"].endswith(("assets/portal.js", ".min.js")):
                    found.append(f"{document.url}: src={attrs['src']}")
            elif attrs.get("type") == "application/ld+json":
                json.loads(text)  # a payload that closed the element would break the JSON
            elif attrs.get("id") == "__config":
                assert json.loads(text)["search"].endswith(".min.js")
            elif not text.strip().startswith(THEME_INLINE_SCRIPTS):
                found.append(f"{document.url}: inline {text[:60]!r}")
    assert found == []


def test_no_event_handlers_and_no_script_urls(payload_pages: dict[str, Document]) -> None:
    found = []
    for document in payload_pages.values():
        for element in document.elements:
            for name, value in element.attrs.items():
                if name.startswith("on"):
                    found.append(f"{document.url}: <{element.tag} {name}>")
                if name in ("href", "src", "action", "formaction", "xlink:href"):
                    compact = "".join(value.split()).lower()
                    if compact.startswith(BAD_SCHEMES):
                        found.append(f"{document.url}: <{element.tag} {name}={value}>")
            if element.tag in ("iframe", "object", "embed", "style"):
                found.append(f"{document.url}: <{element.tag}>")
    assert found == []


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
