"""The four application forms: the shared real-name block, each flow's questions, the consents."""

from __future__ import annotations

from typing import Any, ClassVar

from flask import current_app
from flask_wtf import FlaskForm
from wtforms import HiddenField, StringField
from wtforms.fields.core import UnboundField
from wtforms.validators import ValidationError

from form_service.applications import consent
from form_service.forms import choices as c
from form_service.forms.choices import courses_of_kind, unit_choices
from form_service.forms.fields import (
    Answer,
    ChoiceAnswer,
    ConsentAnswer,
    IdNumberAnswer,
    MultiChoiceAnswer,
    NameAnswer,
    NumberAnswer,
    PhoneAnswer,
    TextAnswer,
)
from form_service.messages import Consent, Form
from site_builder.catalog import Catalogue, Course, JobFair

REAL_NAME = (
    "name",
    "id_number",
    "phone",
    "household_place",
    "household_type",
    "target_groups",
    "education",
    "employment_status",
    "unit_id",
)
CONSENTS = ("consent_privacy", "consent_id_number")
# Fields the form carries that are not answers: the honeypot and the idempotency key.
HONEYPOT = "website"


# An option of a drop-down cannot hold a badge: example courses say so in words.
EXAMPLE_MARK = "【示例】"


def course_label(course: Course) -> str:
    label = f"{course.title}({course.start_date.month}月{course.start_date.day}日开课)"
    return label + EXAMPLE_MARK if course.example else label


def _choices_of(catalogue: Catalogue, what: str) -> list[tuple[str, str]]:
    if what == "units":
        return unit_choices(catalogue)
    if what == "districts":
        return [(u.id, u.name) for u in catalogue.active_districts()]
    return [(course.id, course_label(course)) for course in courses_of_kind(catalogue, what)]


def catalogue_choices(catalogue: Catalogue, what: str) -> list[tuple[str, str]]:
    """Return the (value, label) pairs of `what` (units, districts or a course kind).

    Made once per catalogue and app, not for every form: the catalogue never changes while the
    app runs. The lists are shared between forms, which only read them.
    """
    cache = current_app.extensions.setdefault("portal.form_choices", {})
    hit = cache.get((id(catalogue), what))
    if hit is None or hit[0] is not catalogue:
        hit = cache[(id(catalogue), what)] = (catalogue, _choices_of(catalogue, what))
    return hit[1]  # type: ignore[no-any-return]


class ApplicationForm(FlaskForm):
    """The real-name block and consents that every flow shares."""

    flow: ClassVar[str] = ""
    title: ClassVar[str] = ""
    course_kind: ClassVar[str | None] = None
    # The questions of the flow's own section: the answers a flow declares, in their order,
    # but its course (a section of its own); set for each flow by __init_subclass__.
    flow_fields: ClassVar[tuple[str, ...]] = ()
    flow_section: ClassVar[str] = ""

    name = NameAnswer("姓名", hint="与身份证上的姓名一致;少数民族姓名请用间隔号“·”")
    id_number = IdNumberAnswer("身份证号码", hint="18 位,最后一位可能是 X;老的 15 位号码也可以填")
    phone = PhoneAnswer("手机号码", hint="工作人员会打这个号码与您联系")
    household_place = ChoiceAnswer("户籍地", choices=c.pairs(c.HOUSEHOLD_PLACES))
    household_type = ChoiceAnswer(
        "户口性质", choices=c.pairs(c.HOUSEHOLD_TYPES, c.HOUSEHOLD_TYPE_LABELS)
    )
    target_groups = MultiChoiceAnswer("人员类别", hint="可以多选", choices=c.pairs(c.TARGETS))
    education = ChoiceAnswer("文化程度", choices=c.pairs(c.EDUCATION), drop_down=True)
    employment_status = ChoiceAnswer("目前就业状态", choices=c.pairs(c.EMPLOYMENT))
    unit_id = ChoiceAnswer(
        "所在区县或所属产业工会",
        hint="由这家工会负责联系您;不清楚的请选择您居住的区县",
        drop_down=True,
    )
    consent_privacy = ConsentAnswer(
        consent.PRIVACY_LABEL, message=Consent.PRIVACY, hint=consent.PRIVACY_SUMMARY
    )
    consent_id_number = ConsentAnswer(
        consent.ID_NUMBER_LABEL, message=Consent.ID_NUMBER, hint=consent.ID_NUMBER_SUMMARY
    )
    idempotency_key = HiddenField()
    website = StringField("网址")

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        declared = [
            (unbound.creation_counter, name)
            for name, unbound in vars(cls).items()
            if isinstance(unbound, UnboundField) and issubclass(unbound.field_class, Answer)
        ]
        # A subclass that declares no questions of its own (the staff walk-in form, made with
        # type()) keeps its flow's questions rather than emptying the flow's section.
        if declared:
            cls.flow_fields = tuple(
                name for _order, name in sorted(declared) if name != "course_id"
            )

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.catalogue = catalogue
        self.unit_id.choices = catalogue_choices(catalogue, "units")
        if self.course_kind is not None:
            self.course_id.choices = catalogue_choices(catalogue, self.course_kind)

    def sections(self) -> list[tuple[str, list[Answer]]]:
        """Return the page's sections in order, each with its answer fields."""
        named = [
            ("个人信息", REAL_NAME),
            (self.flow_section, self.flow_fields),
            ("个人信息保护", CONSENTS),
        ]
        if self.course_kind is not None:
            named.insert(0, ("报名课程", ("course_id",)))
        return [(title, [self[name] for name in names]) for title, names in named]

    def answer_fields(self) -> list[Answer]:
        return [f for _title, fields in self.sections() for f in fields]

    def accepted_names(self) -> set[str]:
        """Names a POST of this form may carry."""
        return {field.name for field in self} | {"action"}

    def multiple_names(self) -> set[str]:
        return {f.name for f in self.answer_fields() if f.multiple}

    def chosen_fair(self) -> JobFair | None:
        """Return the job fair whose page the person came from (求职登记 only), if known."""
        return None

    def fair_notice(self) -> str:
        """Say which fair this registration comes from and which union will call (or "")."""
        fair = self.chosen_fair()
        if fair is None:
            return ""
        unit = self.catalogue.reporting_unit(fair.unit).name
        day = f"{fair.date.month}月{fair.date.day}日"
        return Form.FROM_FAIR.format(title=fair.title, day=day, unit=unit)

    def chosen_course(self) -> Course | None:
        course_field = getattr(self, "course_id", None)
        if course_field is None or not course_field.value:
            return None
        return self.catalogue.courses.get(course_field.value)


class TrainingForm(ApplicationForm):
    flow = "training"
    title = "技能培训报名"
    course_kind = "skills"
    flow_section = "培训需求"

    course_id = ChoiceAnswer("报名课程", drop_down=True)
    certificate_held = TextAnswer(
        "已有的职业资格证书",
        limit=100,
        required=False,
        hint="写明工种、等级和证书编号;没有可以不填",
    )
    class_times = MultiChoiceAnswer(
        "可以上课的时间", hint="可以多选", choices=c.pairs(c.CLASS_TIMES)
    )
    need_job_referral = ChoiceAnswer("培训结束后是否需要推荐就业", choices=c.pairs(c.YES_NO))


class EntrepreneurshipForm(ApplicationForm):
    flow = "entrepreneurship"
    title = "创业扶持申请"
    course_kind = "entrepreneurship"
    flow_section = "创业项目和扶持需求"

    course_id = ChoiceAnswer(
        "报名创业培训班", required=False, hint="暂不参加培训可以不选", drop_down=True
    )
    stage = ChoiceAnswer("创业阶段", choices=c.pairs(c.STAGES))
    project_name = TextAnswer("项目名称", limit=50, required=False, hint="还没有项目可以不填")
    industry = ChoiceAnswer("所属行业", required=False, choices=c.pairs(c.INDUSTRIES))
    project_summary = TextAnswer(
        "经营内容简述", limit=300, multiline=True, required=False, hint="300 字以内"
    )
    organisation_form = ChoiceAnswer(
        "组织形式", required=False, choices=c.pairs(c.ORGANISATION_FORMS)
    )
    registration = ChoiceAnswer("工商登记情况", choices=c.pairs(c.REGISTRATION))
    jobs_planned = NumberAnswer("计划带动就业人数", low=0, high=999, example="3", required=False)
    own_funds = NumberAnswer(
        "自有资金(元)", low=0, high=100_000_000, example="20000", required=False
    )
    funding_need = NumberAnswer(
        "资金需求(元)", low=0, high=100_000_000, example="50000", hint="不需要资金请填 0"
    )
    funding_method = ChoiceAnswer("希望的资金扶持方式", choices=c.pairs(c.FUNDING_METHODS))
    premises = ChoiceAnswer("经营场地需求", required=False, choices=c.pairs(c.PREMISES))
    services = MultiChoiceAnswer("希望得到的服务", hint="可以多选", choices=c.pairs(c.SERVICES))

    def validate_project_name(self, field: TextAnswer) -> None:
        if field.value is None and self.stage.value not in (None, c.STAGE_WITHOUT_PROJECT):
            raise ValidationError(Form.PROJECT_REQUIRED)


class HousekeepingForm(ApplicationForm):
    flow = "housekeeping"
    title = "家政培训/上岗登记"
    course_kind = "housekeeping"
    flow_section = "家政服务意向"

    course_id = ChoiceAnswer(
        "报名家政培训班", required=False, hint="已有证书、只登记上岗的可以不选", drop_down=True
    )
    work_patterns = MultiChoiceAnswer("工作方式", hint="可以多选", choices=c.pairs(c.WORK_PATTERNS))
    service_types = MultiChoiceAnswer("服务内容", hint="可以多选", choices=c.pairs(c.SERVICE_TYPES))
    experience_years = NumberAnswer(
        "从事家政工作年限", low=0, high=50, example="2", hint="没有做过请填 0"
    )
    health_certificate = ChoiceAnswer("健康证明", choices=c.pairs(c.HEALTH_CERTIFICATE))
    certificates = MultiChoiceAnswer(
        "已有证书", required=False, hint="可以多选;没有可以不选", choices=c.pairs(c.CERTIFICATES)
    )
    districts_served = MultiChoiceAnswer("可以服务的区县", hint="可以多选")
    expected_wage = NumberAnswer(
        "期望工资(元/月)", low=0, high=100_000, example="2500", required=False
    )
    accept_referral = ChoiceAnswer("是否同意工会向雇主家庭推荐您", choices=c.pairs(c.YES_NO))

    def __init__(self, *args: Any, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(*args, catalogue=catalogue, **kwargs)
        self.districts_served.choices = catalogue_choices(catalogue, "districts")


class JobseekerForm(ApplicationForm):
    flow = "jobseeker"
    title = "求职登记"
    flow_section = "求职意向"

    job_wanted = TextAnswer("想找的工作", limit=50, hint="例如:保安、电工、超市收银")
    # Set from `?fair=<id>` of a fair's page and carried through the check-answers page.
    fair_id = HiddenField()
    expected_wage = NumberAnswer(
        "期望工资(元/月)", low=0, high=100_000, example="2500", required=False
    )

    def chosen_fair(self) -> JobFair | None:
        return self.catalogue.job_fairs.get(self.fair_id.data or "")


FORMS: dict[str, type[ApplicationForm]] = {
    form.flow: form
    for form in (TrainingForm, EntrepreneurshipForm, HousekeepingForm, JobseekerForm)
}
FLOW_OF_KIND = {
    "skills": "training",
    "housekeeping": "housekeeping",
    "entrepreneurship": "entrepreneurship",
}
