"""Who an applicant should call about an application: the unit that handles it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from form_service.applications import lifecycle
from site_builder.catalog import Catalogue, Unit

# The training centre of the city union, named in the notice (real facts): the contact of last
# resort, for an application whose unit has no phone in units.yaml.
CENTRE_NAME = "市总工会培训中心"
CENTRE_PHONE = "65124362"
CENTRE_ADDRESS = "上海市杨浦区吉林路2号"


@dataclass(frozen=True)
class Contact:
    """Whom to call, where to go and when; `example` when the details are made up."""

    name: str
    phone: str
    address: str = ""
    hours: str = ""
    example: bool = False


CENTRE = Contact(CENTRE_NAME, CENTRE_PHONE, CENTRE_ADDRESS)


def unit_contact(unit: Unit) -> Contact | None:
    """Return the contact of a unit as units.yaml gives it, or None without a phone."""
    if not unit.phone:
        return None
    return Contact(
        unit.name,
        unit.phone,
        unit.address,
        unit.hours,
        example=unit.example or unit.contact_example,
    )


def contact_of(cat: Catalogue, unit_id: str | None) -> Contact:
    """Return whom people should call about an application routed to `unit_id`."""
    unit: Unit | None = cat.units.get(unit_id) if unit_id else None
    if unit is not None:
        found = unit_contact(cat.reporting_unit(unit.id))
        if found is not None:
            return found
    return CENTRE


def what_applicant_is_told(cat: Catalogue, facts: Mapping[str, Any]) -> dict[str, Any]:
    """Return what an applicant reads about an application: title, course, next step, contact."""
    return {
        "title": lifecycle.FLOW_TITLES[facts["flow"]],
        "course": cat.courses.get(facts["course_id"]) if facts["course_id"] else None,
        "next_step": lifecycle.next_step(facts["state"]),
        "contact": contact_of(cat, facts["unit_id"]),
    }
