"""schema.org JSON-LD for courses, training bases and job fairs (records in, dicts out)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from site_builder.catalog import Base, Catalogue, Course, JobFair, Unit
from site_builder.catalog import vocabulary as v
from site_builder.render import paths
from site_builder.render.text import plain_text

CONTEXT = "https://schema.org"
SHANGHAI_OFFSET = "+08:00"
_AVAILABILITY = {
    v.OPEN: "https://schema.org/InStock",
    v.CLOSING_SOON: "https://schema.org/LimitedAvailability",
    v.FULL: "https://schema.org/SoldOut",
    v.CLOSED: "https://schema.org/Discontinued",
    v.ENDED: "https://schema.org/Discontinued",
    v.WITHDRAWN: "https://schema.org/Discontinued",
}
# What each kind of union record needs to be in JSON-LD; the tests check the same lists.
REQUIRED = {
    "Course": ("name", "description", "provider", "hasCourseInstance", "offers"),
    "CourseInstance": ("courseMode", "startDate", "endDate", "location", "courseWorkload"),
    "Event": ("name", "startDate", "endDate", "location", "eventStatus", "organizer"),
    "EducationalOrganization": ("name", "address", "telephone"),
    "ItemList": ("itemListElement",),
}


def script_text(data: dict[str, Any]) -> str:
    """Serialise for a `<script type="application/ld+json">`: `<`, `>` and `&` can never close it."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _address(street: str) -> dict[str, str]:
    return {
        "@type": "PostalAddress",
        "streetAddress": plain_text(street),
        "addressLocality": "上海市",
        "addressRegion": "上海市",
        "addressCountry": "CN",
    }


def _summary(description: str, fallback: str) -> str:
    text = plain_text(description)
    return text[:300] if text else fallback


def course(c: Course, *, base: Base, unit: Unit, today: date, site_url: str) -> dict[str, Any]:
    """Return a Course with one CourseInstance (the class) and one Offer (what a trainee pays)."""
    page_url = paths.absolute(site_url, paths.course(c.id))
    state = c.state_on(today)
    if c.self_pay == 0:
        category = "Free"
    elif c.self_pay < c.fee:
        category = "Partially Free"
    else:
        category = "Paid"
    credential = c.certificate or v.LEVELS[c.level]
    return {
        "@context": CONTEXT,
        "@type": "Course",
        "@id": page_url + "#course",
        "url": page_url,
        "name": plain_text(c.title),
        "courseCode": c.id,
        "inLanguage": "zh-CN",
        "description": _summary(c.description, f"{v.KINDS[c.kind]}:{plain_text(c.occupation)}"),
        "educationalCredentialAwarded": plain_text(credential),
        "provider": {"@type": "Organization", "name": plain_text(unit.name)},
        "audience": {
            "@type": "Audience",
            "audienceType": "、".join(c.target_groups) or "符合条件的求职者",
        },
        "offers": {
            "@type": "Offer",
            "category": category,
            "price": c.self_pay,
            "priceCurrency": "CNY",
            "availability": _AVAILABILITY[state],
            "validThrough": c.apply_by.isoformat(),
            "url": site_url.rstrip("/") + paths.apply_url(c),
        },
        "hasCourseInstance": {
            "@type": "CourseInstance",
            "courseMode": "onsite",
            "startDate": c.start_date.isoformat(),
            "endDate": c.end_date.isoformat(),
            "courseWorkload": f"PT{c.hours}H",
            "maximumAttendeeCapacity": c.capacity,
            "location": {
                "@type": "Place",
                "name": plain_text(base.name),
                "address": _address(base.address),
                "telephone": base.phone,
            },
        },
    }


def fair(f: JobFair, *, unit: Unit, site_url: str) -> dict[str, Any]:
    """Return an Event; the date alone says whether it is past (no 'upcoming' flag to go stale)."""
    organisers = [{"@type": "Organization", "name": plain_text(name)} for _, name in f.organisers]
    if not organisers:
        organisers = [{"@type": "Organization", "name": plain_text(unit.name)}]
    data: dict[str, Any] = {
        "@context": CONTEXT,
        "@type": "Event",
        "@id": paths.absolute(site_url, paths.job_fair(f.id)) + "#event",
        "url": paths.absolute(site_url, paths.job_fair(f.id)),
        "name": plain_text(f.title),
        "description": _summary(f.description, plain_text(f.title)),
        "startDate": f"{f.date.isoformat()}T{f.start_time}:00{SHANGHAI_OFFSET}",
        "endDate": f"{f.date.isoformat()}T{f.end_time}:00{SHANGHAI_OFFSET}",
        "eventStatus": "https://schema.org/EventScheduled",
        "eventAttendanceMode": "https://schema.org/OfflineEventAttendanceMode",
        "isAccessibleForFree": True,
        "inLanguage": "zh-CN",
        "location": {"@type": "Place", "name": plain_text(f.venue), "address": _address(f.address)},
        "organizer": organisers,
    }
    if f.target_groups:
        data["audience"] = {"@type": "Audience", "audienceType": "、".join(f.target_groups)}
    return data


def base(b: Base, *, catalogue: Catalogue, site_url: str) -> dict[str, Any]:
    page_url = paths.absolute(site_url, paths.base(b.id))
    return {
        "@context": CONTEXT,
        "@type": ["EducationalOrganization", "Place"],
        "@id": page_url + "#base",
        "url": page_url,
        "name": plain_text(b.name),
        "description": _summary(b.description, plain_text(b.name)),
        "address": _address(b.address),
        "telephone": b.phone,
        "parentOrganization": {
            "@type": "Organization",
            "name": plain_text(catalogue.units[b.unit].name),
        },
    }


def upcoming_fairs(fairs: list[JobFair], *, site_url: str) -> dict[str, Any]:
    """Return an ItemList of the fairs still to come, in date order."""
    return {
        "@context": CONTEXT,
        "@type": "ItemList",
        "name": "即将举办的招聘会",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": number,
                "url": paths.absolute(site_url, paths.job_fair(f.id)),
                "name": plain_text(f.title),
            }
            for number, f in enumerate(fairs, start=1)
        ],
    }


def website(*, name: str, site_url: str) -> dict[str, Any]:
    return {
        "@context": CONTEXT,
        "@type": "WebSite",
        "name": name,
        "url": site_url,
        "inLanguage": "zh-CN",
        "publisher": {"@type": "Organization", "name": "上海市总工会"},
    }
