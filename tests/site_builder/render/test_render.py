"""The pure rendering pieces: escaping, links, dates, JSON-LD, calendars, open data, sanitising."""

from __future__ import annotations

import csv
import io
import json
import tempfile
from datetime import date
from pathlib import Path

import pytest
import yaml
from icalendar import Calendar
from markdown import Markdown

from site_builder.catalog import Catalogue, ContentError, load_catalogue
from site_builder.catalog import vocabulary as v
from site_builder.render import calendar, environment, opendata, paths, render_site, structured
from site_builder.render.environment import front_matter, yaml_string
from site_builder.render.sanitize import clean
from site_builder.render.text import markdown_text, money, tel_href, zh_date

TODAY = date(2011, 7, 1)
SITE = "https://jineng.example.org.cn/"


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("中式烹调师(五级)", "中式烹调师(五级)"),
        ("*重点* _班_", "\\*重点\\* \\_班\\_"),
        ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
        ("# 标题", "\\# 标题"),
        ("- 列表", "\\- 列表"),
        ("1. 第一", "1\\. 第一"),
        ("a | b", "a \\| b"),
        ("两行\n文字", "两行 文字"),
        ("{: onclick=x }", "\\{: onclick=x \\}"),
    ],
)
def test_markdown_text_shows_literally(text: str, escaped: str) -> None:
    assert markdown_text(text) == escaped
    html = Markdown(extensions=["attr_list", "tables"]).convert(escaped)
    assert html == f"<p>{' '.join(text.split())}</p>"


@pytest.mark.parametrize(
    ("phone", "href"),
    [
        ("65124362", "tel:02165124362"),
        ("63211939-3153", "tel:02163211939,3153"),
        ("021-63211939", "tel:02163211939"),
        ("13800138000", "tel:13800138000"),
        ("0571-87654321", "tel:057187654321"),
        ("400-123-4567", "tel:4001234567"),
    ],
)
def test_tel_links_dial_from_any_phone(phone: str, href: str) -> None:
    assert tel_href(phone) == href


def test_dates_and_money_read_naturally() -> None:
    assert zh_date(date(2011, 7, 4), weekday=True) == "2011年7月4日(星期一)"
    assert money(0) == "免费"
    assert money(1500) == "1,500 元"


@pytest.mark.parametrize(
    ("src", "to", "href"),
    [
        ("index.md", "courses/index.md", "courses/"),
        ("courses/index.md", "courses/c01/index.md", "c01/"),
        ("courses/c01/index.md", "bases/b01/index.md", "../../bases/b01/"),
        ("courses/c01/index.md", "courses/c01/qr.svg", "qr.svg"),
        ("courses/by/kind/skills/index.md", "courses/index.md", "../../../"),
        ("job-fairs/index.md", "job-fairs/upcoming.ics", "upcoming.ics"),
        ("faq/index.md", "faq/index.md", "./"),
    ],
)
def test_relative_links_between_pages(src: str, to: str, href: str) -> None:
    assert paths.href(src, to) == href


def test_listing_paths_never_meet_a_course_page() -> None:
    assert paths.listing() == "courses/index.md"
    assert paths.listing(number=2) == "courses/by/all/2/index.md"
    assert paths.listing("kind", "skills", 3) == "courses/by/kind/skills/3/index.md"
    assert "by" in paths.RESERVED_COURSE_IDS
    assert set(paths.GROUP_SLUGS) == set(v.TARGET_GROUPS)


@pytest.mark.parametrize(
    "value", ["普通标题", 'a "quoted" \\ value', "控制\x85字符", "emoji 😀", "</script>"]
)
def test_front_matter_strings_round_trip(value: str) -> None:
    assert yaml.safe_load(f"x: {yaml_string(value)}") == {"x": value}


def test_front_matter_title_is_html_escaped_for_the_theme() -> None:
    meta = yaml.safe_load(front_matter(title='<b>"x"</b>', search=False).split("---")[1])
    assert meta == {"title": "&lt;b&gt;&quot;x&quot;&lt;/b&gt;", "search": {"exclude": True}}


def test_jsonld_script_text_cannot_close_its_element() -> None:
    text = structured.script_text({"name": "</script><script>alert(1)</script> & more"})
    assert "<" not in text and ">" not in text and "&" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script> & more"}


def test_course_jsonld(catalogue: Catalogue) -> None:
    c = next(iter(catalogue.courses.values()))
    base, unit = catalogue.bases[c.base], catalogue.units[c.unit]
    data = structured.course(c, base=base, unit=unit, today=TODAY, site_url=SITE)
    assert data["@type"] == "Course"
    assert data["url"] == f"{SITE}courses/{c.id}/"
    assert data["offers"]["url"] == f"{SITE}{paths.apply_url(c)[1:]}"
    assert data["offers"]["price"] == c.self_pay
    assert data["hasCourseInstance"]["startDate"] == c.start_date.isoformat()
    assert data["hasCourseInstance"]["courseWorkload"] == f"PT{c.hours}H"


def test_calendar_for_a_fair(catalogue: Catalogue) -> None:
    fair = next(iter(catalogue.job_fairs.values()))
    ics = calendar.calendar(
        [fair], name=fair.title, catalogue=catalogue, site_url=SITE, today=TODAY
    )
    parsed = Calendar.from_ical(ics)
    assert [str(z["tzid"]) for z in parsed.walk("VTIMEZONE")] == ["Asia/Shanghai"]
    (event,) = parsed.walk("VEVENT")
    assert str(event["uid"]) == f"{fair.id}@jineng.example.org.cn"
    assert str(event["location"]) == f"{fair.venue}({fair.address})"
    assert event.decoded("dtstamp").isoformat() == "2011-07-01T00:00:00+00:00"
    assert ics == calendar.calendar(
        [fair], name=fair.title, catalogue=catalogue, site_url=SITE, today=TODAY
    )


def test_csv_defuses_formulas_and_keeps_ids_as_text() -> None:
    raw = opendata._table(["a", "b", "c"], [["=1+1", "+86", "0571"], [("x", "y"), True, "-2"]])
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows == [["a", "b", "c"], ["'=1+1", "'+86", "0571"], ["x、y", "是", "'-2"]]


@pytest.mark.parametrize(
    ("html", "safe"),
    [
        ("<script>alert(1)</script>ok", "ok"),
        ('<img src=x onerror="alert(1)">', '<img src="x">'),
        ('<a href="javascript:alert(1)">x</a>', "<a>x</a>"),
        ('<a href=" JaVaScRiPt:alert(1)">x</a>', "<a>x</a>"),
        ('<img src="data:image/png;base64,AAAA">', "<img>"),
        ('<img src="https://evil.example/x.png">', "<img>"),
        ('<img src="qr.svg" alt="二维码">', '<img src="qr.svg" alt="二维码">'),
        ('<div id="__config">x</div>', "<div>x</div>"),
        ('<h2 id="课程信息">课程信息</h2>', '<h2 id="课程信息">课程信息</h2>'),
        ('<p class="mermaid note">x</p>', '<p class="note">x</p>'),
        (
            '<div data-md-component="search" data-course="c01">x</div>',
            '<div data-course="c01">x</div>',
        ),
        ('<a href="tel:02165124362">电话</a>', '<a href="tel:02165124362">电话</a>'),
        ("<style>body{display:none}</style>x", "x"),
        ("<iframe src=//evil></iframe>x", "x"),
    ],
)
def test_sanitiser_allow_list(html: str, safe: str) -> None:
    assert clean(html) == safe


def test_ids_that_collide_with_site_pages_are_refused(content_copy: Path) -> None:
    course = next(content_copy.glob("courses/*.yaml"))
    text = course.read_text(encoding="utf-8")
    course_id = next(line for line in text.splitlines() if line.startswith("id: "))
    course.write_text(text.replace(course_id, "id: by"), encoding="utf-8")
    with pytest.raises(ContentError) as failure:
        render_site(load_catalogue(content_copy), today=TODAY, site_url=SITE)
    (problem,) = failure.value.problems
    line = text.splitlines().index(course_id) + 1
    assert (
        str(problem) == f'content/courses/{course.name}:{line}: 编号 "by" 是网站保留的名称,请换一个'
    )


def test_templates_are_compiled_each_time_where_no_temp_folder_is_writable(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A hardened service with a read-only /tmp still builds, only without the compiled cache."""
    monkeypatch.setattr(tempfile, "tempdir", "/proc/no-such-folder")
    assert environment.compiled_templates() is None
