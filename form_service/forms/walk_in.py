"""The application forms as staff fill them in for a person at the desk or from a paper form.

The same flows, questions and checks as the public forms (`flows.FORMS`), with what a desk
adds: where the application came in (窗口 or 招聘会现场) and the paper consent — the two
consents become the staff member's confirmation that the person signed them on paper, with the
day it was signed and where the signed sheet is kept. A unit's staff enter applications for
their own unit: the unit and course lists hold only theirs.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from functools import cache
from typing import Any

from wtforms.validators import ValidationError

from form_service.forms.fields import ChoiceAnswer, ConsentAnswer, TextAnswer
from form_service.forms.flows import FORMS, ApplicationForm
from site_builder.catalog import Catalogue, today

CHANNELS = {"窗口": "窗口(社区、街道、工会服务窗口,或纸质报名表)", "招聘会现场": "招聘会现场"}
DESK = ("channel", "fair_at", "consent_signed_on", "consent_kept")


class WalkInFields:
    """What staff add to a flow's form (mixed in before the flow's form class)."""

    channel = ChoiceAnswer("报名渠道", choices=list(CHANNELS.items()))
    fair_at = ChoiceAnswer(
        "在哪一场招聘会登记", required=False, drop_down=True, hint="招聘会现场登记的,选择是哪一场"
    )
    consent_signed_on = TextAnswer(
        "纸质同意书签署日期", limit=10, hint="申请人在纸质同意书上签字的日期,例如 2011-07-15"
    )
    consent_kept = TextAnswer(
        "纸质同意书存放处", limit=100, hint="签字原件存放的地方,例如 杨浦区总工会培训科档案柜"
    )
    consent_privacy = ConsentAnswer(
        "申请人已阅读《个人信息处理规则》,并在纸质同意书上签字同意",
        message="请确认申请人已在纸质同意书上签字同意个人信息处理规则",
    )
    consent_id_number = ConsentAnswer(
        "申请人已在纸质同意书上单独签字同意处理身份证号码",
        message="请确认申请人已单独签字同意处理身份证号码",
    )

    def validate_fair_at(self, field: ChoiceAnswer) -> None:
        if self.channel.value == "招聘会现场" and not field.value:  # type: ignore[attr-defined]
            raise ValidationError("招聘会现场登记的,请选择是哪一场招聘会")

    def validate_consent_signed_on(self, field: TextAnswer) -> None:
        signed = signed_on(field.value or "")
        if signed is None:
            raise ValidationError("纸质同意书签署日期不是有效日期,请按 2011-07-15 的格式填写")
        if signed > today():
            raise ValidationError(f"纸质同意书签署日期不能晚于今天({today().isoformat()})")


def signed_on(raw: str) -> date | None:
    """Return the date typed as 2011-07-15 (full-width digits allowed), or None."""
    value = unicodedata.normalize("NFKC", raw).strip()
    if not re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", value, re.ASCII):
        return None
    try:
        return date(*(int(part) for part in value.split("-")))
    except ValueError:
        return None


@cache
def walk_in_form(flow: str) -> type[ApplicationForm]:
    """Return the staff form of `flow`: the public form with the desk's questions."""
    base = FORMS[flow]

    def sections(self: Any) -> list[tuple[str, list[Any]]]:
        found = base.sections(self)
        return found[:-1] + [("窗口录入", [self[name] for name in DESK]), found[-1]]

    return type(f"WalkIn{base.__name__}", (WalkInFields, base), {"sections": sections})


def limit_to(form: ApplicationForm, *, catalogue: Catalogue, scope: frozenset[str] | None) -> None:
    """Offer only the units, courses and fairs of the staff member's scope (None: every one)."""
    fairs = sorted(
        (j for j in catalogue.job_fairs.values()
         if scope is None or catalogue.reporting_unit(j.unit).id in scope),
        key=lambda j: (j.date, j.id),
    )  # fmt: skip
    form.fair_at.choices = [(j.id, f"{j.date.isoformat()} {j.title}") for j in fairs]  # type: ignore[attr-defined]
    if scope is None:
        return
    form.unit_id.choices = [c for c in form.unit_id.choices if c[0] in scope]
    course_field = getattr(form, "course_id", None)
    if course_field is not None:
        course_field.choices = [
            (value, label)
            for value, label in course_field.choices
            if catalogue.reporting_unit(catalogue.courses[value].unit).id in scope
        ]
