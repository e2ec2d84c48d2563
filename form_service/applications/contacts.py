"""Who an applicant should call about an application: the unit that handles it."""

from __future__ import annotations

from site_builder.catalog import Catalogue, Unit

# The training centre of the city union, named in the notice: the contact of last resort.
CENTRE_NAME = "市总工会培训中心"
CENTRE_PHONE = "65124362"


def contact_of(cat: Catalogue, unit_id: str | None) -> tuple[str, str]:
    """Return (name, phone) people should call about an application routed to `unit_id`."""
    unit: Unit | None = cat.units.get(unit_id) if unit_id else None
    if unit is not None:
        unit = cat.reporting_unit(unit.id)
        if unit.phone:
            return unit.name, unit.phone
    return CENTRE_NAME, CENTRE_PHONE
