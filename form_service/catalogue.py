"""The content catalogue, loaded once per app: courses, units and their contacts."""

from __future__ import annotations

from pathlib import Path

from flask import Flask, current_app

from site_builder.catalog import Catalogue, Course, Unit, load_catalogue

# The training centre of the city union, named in the notice: the contact of last resort.
CENTRE_NAME = "市总工会培训中心"
CENTRE_PHONE = "65124362"


def init_app(app: Flask) -> None:
    """Load the catalogue from PORTAL_CONTENT_DIR (raises ContentError if it has problems)."""
    loaded = app.config.get("PORTAL_CATALOGUE")
    if loaded is None:
        loaded = load_catalogue(Path(app.config["PORTAL_CONTENT_DIR"]))
    app.extensions["portal.catalogue"] = loaded


def catalogue() -> Catalogue:
    """Return the current app's catalogue."""
    return current_app.extensions["portal.catalogue"]  # type: ignore[no-any-return]


def courses_of_kind(cat: Catalogue, kind: str) -> list[Course]:
    return [c for c in cat.courses.values() if c.kind == kind]


def unit_choices(cat: Catalogue) -> list[tuple[str, str]]:
    """Districts first, then industry unions, as (id, label) pairs."""
    return [(u.id, u.name) for u in cat.active_districts()] + [
        (u.id, u.name) for u in cat.industry_unions()
    ]


def contact_of(cat: Catalogue, unit_id: str | None) -> tuple[str, str]:
    """Return (name, phone) people should call about an application routed to `unit_id`."""
    unit: Unit | None = cat.units.get(unit_id) if unit_id else None
    if unit is not None:
        unit = cat.reporting_unit(unit.id)
        if unit.phone:
            return unit.name, unit.phone
    return CENTRE_NAME, CENTRE_PHONE
