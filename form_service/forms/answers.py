"""Turn a validated form into what the store keeps, and answers into the rows people read.

The check-answers page and the staff detail page show answers through the same field types,
so a value list's label is written once, in the form.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from form_service.applications.submit import NewApplication
from form_service.forms.flows import FORMS, ApplicationForm
from site_builder.catalog import Catalogue

CONSENT_ROWS = {"consent_privacy": "个人信息处理规则", "consent_id_number": "处理身份证号码"}


@dataclass(frozen=True)
class SummaryRow:
    field_id: str
    label: str
    value: str


def routed_unit(form: ApplicationForm, *, catalogue: Catalogue) -> str:
    """Route to the course's unit, else the fair's (the union that meets the person there),
    else the unit the person chose."""
    course, fair = form.chosen_course(), form.chosen_fair()
    unit_id = course.unit if course else fair.unit if fair else form.unit_id.value
    return catalogue.reporting_unit(unit_id).id


def to_new_application(
    form: ApplicationForm,
    *,
    catalogue: Catalogue,
    consent_version: str,
    now: datetime,
    is_demo: bool = False,
) -> NewApplication:
    """Build the application to store from a form whose `validate()` returned True."""
    resident = form.id_number.value
    details: dict[str, object] = {"home_unit": form.unit_id.value}
    for name in form.flow_fields:
        value = form[name].value
        details[name] = list(value) if isinstance(value, tuple) else value
    course, fair = form.chosen_course(), form.chosen_fair()
    return NewApplication(
        flow=form.flow,
        course_id=course.id if course is not None else None,
        fair_id=fair.id if fair is not None else None,
        unit_id=routed_unit(form, catalogue=catalogue),
        name=form.name.value,
        id_number=resident.number,
        birth_date=resident.birth_date,
        gender=resident.gender,
        phone=form.phone.value,
        household_place=form.household_place.value,
        household_type=form.household_type.value,
        target_groups=form.target_groups.value,
        education=form.education.value,
        employment_status=form.employment_status.value,
        details=details,
        consent_version=consent_version,
        consent_at=now,
        idempotency_key=form.idempotency_key.data,
        is_demo=is_demo,
    )


def summary(form: ApplicationForm) -> list[tuple[str, list[SummaryRow]]]:
    """Return the check-answers sections: every answer as the person will see it."""
    sections = []
    for title, fields in form.sections():
        rows = [
            SummaryRow(f.id, CONSENT_ROWS.get(f.name, f.label_text), f.display()) for f in fields
        ]
        sections.append((title, rows))
    return sections


def stored_answers(
    *, flow: str, details: Mapping[str, object], catalogue: Catalogue
) -> list[SummaryRow]:
    """Return a stored application's own answers as the check-answers page showed them."""
    form = FORMS[flow](formdata=None, catalogue=catalogue, meta={"csrf": False})
    rows = []
    for name in ("unit_id", *form.flow_fields):
        key = "home_unit" if name == "unit_id" else name
        if key not in details:
            continue
        field = form[name]
        value = details[key]
        field.value = tuple(value) if isinstance(value, list) else value
        rows.append(SummaryRow(field.id, field.label_text, field.display()))
    return rows
