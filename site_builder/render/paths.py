"""Where every page lives in the docs tree and on the site: the URLs browsers and tests rely on."""

from __future__ import annotations

import posixpath
from functools import lru_cache

from site_builder.catalog import Course
from site_builder.catalog import vocabulary as v

HOME = "index.md"
COURSES = "courses/index.md"
BASES = "bases/index.md"
JOB_FAIRS = "job-fairs/index.md"
UPCOMING_FEED = "job-fairs/upcoming.ics"
CATALOG_JSON = "catalog.json"
CATALOG_CSV = "catalog.csv"

# Content pages (content/pages/<slug>.md) that have a fixed place in the navigation.
PROGRAMME_PAGES = ("programme", "service-chain", "faq", "contacts", "privacy")

APPLY = {
    "skills": "/apply/training",
    "housekeeping": "/apply/housekeeping",
    "entrepreneurship": "/apply/entrepreneurship",
}
JOBSEEKER = "/apply/jobseeker"
STATUS = "/apply/status"

STATE_SLUGS = {
    v.OPEN: "open",
    v.CLOSING_SOON: "closing",
    v.FULL: "full",
    v.CLOSED: "closed",
    v.ENDED: "ended",
    v.WITHDRAWN: "withdrawn",
}
GROUP_SLUGS = {
    "农民工": "migrant-workers",
    "困难职工家庭高校毕业生": "graduates",
    "下岗失业人员": "unemployed",
    "协保人员": "xiebao",
    "就业困难人员": "hard-to-employ",
    "征地农转非人员": "land-requisitioned",
    "残疾人": "disabled",
    "退役士兵": "veterans",
    "其他": "others",
}

# Ids that would collide with the catalogue's own pages and feeds.
RESERVED_COURSE_IDS = frozenset({"by"})
RESERVED_FAIR_IDS = frozenset({"upcoming"})


def course(course_id: str) -> str:
    return f"courses/{course_id}/index.md"


def base(base_id: str) -> str:
    return f"bases/{base_id}/index.md"


def job_fair(fair_id: str) -> str:
    return f"job-fairs/{fair_id}/index.md"


def job_fair_calendar(fair_id: str) -> str:
    return f"job-fairs/{fair_id}.ics"


def page(slug: str) -> str:
    return f"{slug}/index.md"


def qr_code(page_src: str) -> str:
    return posixpath.join(posixpath.dirname(page_src), "qr.svg")


def listing(dimension: str = "", value: str = "", number: int = 1) -> str:
    """Return the source of one page of the course catalogue, whole or filtered by one value."""
    if not dimension:
        folder = "courses" if number == 1 else f"courses/by/all/{number}"
    else:
        folder = f"courses/by/{dimension}/{value}" + ("" if number == 1 else f"/{number}")
    return f"{folder}/index.md"


def url(src: str) -> str:
    """Return the site path of a docs file: `courses/c01/index.md` -> `/courses/c01/`."""
    if src == "index.md" or src.endswith("/index.md"):
        return "/" + src[: -len("index.md")]
    return "/" + src


@lru_cache(maxsize=65536)
def href(from_src: str, to_src: str) -> str:
    """Return a relative URL from one page to another file, as a browser resolves it."""
    here = url(from_src)
    there = url(to_src)
    relative = posixpath.relpath(there, here if here.endswith("/") else posixpath.dirname(here))
    if there.endswith("/"):
        return "./" if relative == "." else relative + "/"
    return relative


@lru_cache(maxsize=65536)
def md_link(from_src: str, to_src: str) -> str:
    """Return a relative link between docs files, for Markdown that MkDocs checks and rewrites."""
    return posixpath.relpath(to_src, posixpath.dirname(from_src))


def apply_url(c: Course) -> str:
    return f"{APPLY[c.kind]}?course={c.id}"


def fair_registration(fair_id: str) -> str:
    """Return the 求职登记 address that records the fair it was opened from."""
    return f"{JOBSEEKER}?fair={fair_id}"


def absolute(site_url: str, src: str) -> str:
    return site_url.rstrip("/") + url(src)
