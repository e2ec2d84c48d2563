"""Who may edit what: units own their listings; targets rows for industry unions' own figures.

City staff (admin) edit every record of every collection. Unit staff see and edit only listings
whose unit is theirs or has merged into theirs (`Catalogue.units_reporting_to`), and can give a
listing no other unit. A 局(产业)工会 sets its own `self_set` row of the targets breakdown
(the four figures and a note); district targets stay with city staff.
"""

from __future__ import annotations

from collections.abc import Mapping

from form_service.accounts.users import StaffUser
from site_builder.catalog import Catalogue
from site_builder.editing import collections as c
from site_builder.editing import formfields
from site_builder.editing.collections import Collection, Entry
from site_builder.editing.formfields import FormField

TARGET_FIGURES = ("skills", "housekeeping", "entrepreneurship", "placements", "note")


def allowed_units(user: StaffUser, catalogue: Catalogue) -> frozenset[str] | None:
    """Return the units whose records `user` may touch (None: all)."""
    return user.scope(catalogue)


def collections_for(user: StaffUser, catalogue: Catalogue) -> list[Collection]:
    """Return the collections `user` works with, in menu order."""
    shown = list(c.LISTINGS)
    if user.is_admin:
        shown += [c.UNITS, c.TARGETS]
    elif user.unit_id and _is_industry(user, catalogue):
        shown.append(c.TARGETS)
    return shown


def _is_industry(user: StaffUser, catalogue: Catalogue) -> bool:
    unit = catalogue.units.get(user.unit_id or "")
    return unit is not None and unit.type == "industry"


def may_edit(user: StaffUser, catalogue: Catalogue, entry: Entry) -> bool:
    """Tell whether `user` may open and save `entry` (else the console answers 404)."""
    collection = entry.collection
    if collection not in collections_for(user, catalogue):
        return False
    if user.is_admin:
        return True
    if collection is c.TARGETS:
        return entry.id == user.unit_id and entry.raw.get("source") == "self_set"
    scope = allowed_units(user, catalogue) or frozenset()
    return entry.unit in scope


def inputs_for(
    user: StaffUser,
    collection: Collection,
    *,
    references: Mapping[str, tuple[tuple[str, str], ...]],
    new: bool,
) -> list[FormField]:
    """Return the form's inputs for `user`: the id only for a new record, targets' figures only."""
    inputs = formfields.form_fields(collection.fields, references=references)
    if not new:
        inputs = [i for i in inputs if i.key != collection.id_key]
    if collection is c.TARGETS and not user.is_admin:
        inputs = [i for i in inputs if i.key in TARGET_FIGURES]
    return inputs


def unit_choices(
    user: StaffUser, catalogue: Catalogue, units: list[Entry]
) -> tuple[tuple[str, str], ...]:
    """Return the units `user` may give a listing, as (id, name) choices."""
    scope = allowed_units(user, catalogue)
    return tuple((e.id, e.title) for e in units if scope is None or e.id in scope)
