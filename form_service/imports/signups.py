"""Read a sign-up sheet or class list in the register's own columns into people and projects.

A row is one person: the identity block (姓名, 身份证号, 联系电话, 户口类型, 户籍地, 文化程度,
人员类别, 就业状态, 所属工会), what they take part in (参加项目 as the register writes it, e.g.
`技能培训:电工(五级)晚班;求职登记`, and/or 课程编号), and the register's outcome columns. The
answers are checked as the public form checks them (same parsers, same value lists); 性别 and
出生日期, when given, must agree with the ID number. 身份 and 报名编号 are the register's own
output and are not read back.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from form_service.applications import identity
from form_service.applications import lifecycle as lc
from form_service.applications.identity import InvalidValue, ResidentId
from form_service.applications.outcomes import Outcome
from form_service.forms import choices as c
from form_service.imports.cells import Cells, outcomes_of
from form_service.imports.reading import Row
from site_builder.catalog import Catalogue

COURSE_IDS = "课程编号"
CONSENT_ON = "同意书签署日期"
CONSENT_KEPT = "同意书存放处"
_SPLIT = re.compile(r"\s*[;\uff1b\n]\s*")
_IDS_SPLIT = re.compile(r"[\s;\uff1b,\uff0c\u3001]+")
FLOW_OF_TRACK = {"skills": "training", **{t: t for t in lc.TRACKS if t != "skills"}}
TRACK_OF_LABEL = {label: track for track, label in lc.TRACKS.items()}
# Which project an outcome belongs to when a person has several.
_OUTCOME_TRACKS = {
    "completion": ("skills", "housekeeping", "entrepreneurship"),
    "certificate": ("skills", "housekeeping"),
    "business": ("entrepreneurship",),
}


@dataclass(frozen=True)
class Project:
    """One thing a person takes part in: a flow and, for a course, the course."""

    flow: str
    course_id: str | None
    track: str
    label: str  # as the register writes it
    column: str = "参加项目"  # where the file named it


@dataclass
class SignUp:
    """One checked row of a sign-up file."""

    line: int
    name: str
    resident: ResidentId
    phone: str
    household_type: str
    household_place: str
    education: str
    groups: tuple[str, ...]
    employment_status: str
    home_unit: str
    projects: list[Project]
    outcomes: dict[int, list[Outcome]] = field(default_factory=dict)  # by project index
    consent_on: date | None = None
    consent_kept: str = ""


def project_label(*, track: str, title: str | None) -> str:
    return f"{lc.TRACKS[track]}:{title}" if title else lc.TRACKS[track]


def _project_of(catalogue: Catalogue, text: str, cells: Cells) -> Project | None:
    label, _, title = text.replace("\uff1a", ":", 1).partition(":")
    track = TRACK_OF_LABEL.get(label.strip())
    if track is None:
        cells.fail(
            "参加项目", f"“{text}”不是可以导入的项目(技能培训、家政培训、创业培训、求职登记)"
        )
        return None
    title = title.strip()
    if track == "jobseeker" or not title:
        if track == "skills":
            cells.fail("参加项目", "技能培训要写明课程,例如 技能培训:电工(五级)晚班,或填写课程编号")
            return None
        return Project(FLOW_OF_TRACK[track], None, track, lc.TRACKS[track])
    course = next(
        (x for x in catalogue.courses.values() if x.kind == track and x.title == title), None
    )
    if course is None:
        cells.fail("参加项目", f"没有名为“{title}”的{lc.TRACKS[track]}课程,请核对或填写课程编号")
        return None
    return Project(FLOW_OF_TRACK[track], course.id, track, project_label(track=track, title=title))


def _projects(catalogue: Catalogue, cells: Cells) -> list[Project]:
    found: list[Project] = []
    for text in _SPLIT.split(cells.row.get("参加项目").strip()):
        if text:
            project = _project_of(catalogue, text, cells)
            if project is not None:
                found.append(project)
    for course_id in _IDS_SPLIT.split(cells.row.get(COURSE_IDS).strip()):
        if not course_id:
            continue
        course = catalogue.courses.get(course_id)
        if course is None:
            cells.fail(COURSE_IDS, f"没有编号为“{course_id}”的课程")
            continue
        found.append(
            Project(
                FLOW_OF_TRACK[course.kind],
                course.id,
                course.kind,
                project_label(track=course.kind, title=course.title),
                COURSE_IDS,
            )
        )
    seen: set[tuple[str, str | None]] = set()
    unique = []
    for project in found:
        if (project.flow, project.course_id) not in seen:
            seen.add((project.flow, project.course_id))
            unique.append(project)
    if not unique and not cells.problems:
        cells.fail("参加项目", "没有填写参加项目或课程编号")
    return unique


def _unit(catalogue: Catalogue, cells: Cells, *, default: str | None) -> str:
    value = cells.row.get("所属工会").strip()
    if not value:
        return default or ""
    by_name = {u.name: u.id for u in catalogue.units.values()} | {u: u for u in catalogue.units}
    if value not in by_name:
        cells.fail("所属工会", f"没有名为“{value}”的工会,请写全称,例如 杨浦区总工会")
        return ""
    return by_name[value]


def _identity(cells: Cells, today: date) -> tuple[str, ResidentId | None, str]:
    parsed: list[object] = []
    for column, parse in (
        ("姓名", identity.parse_name),
        ("身份证号", lambda raw: identity.parse_id_number(raw, today=today)),
        ("联系电话", identity.parse_phone),
    ):
        try:
            parsed.append(parse(cells.row.get(column)))
        except InvalidValue as exc:
            cells.fail(column, exc.message)
            parsed.append(None)
    name, resident, phone = parsed
    if isinstance(resident, ResidentId):
        if cells.row.get("性别").strip() not in ("", resident.gender):
            cells.fail("性别", f"与身份证号不符(身份证号显示为{resident.gender})")
        born = cells.row.get("出生日期").strip()
        if born and born != resident.birth_date.isoformat():
            cells.fail(
                "出生日期", f"与身份证号不符(身份证号显示为 {resident.birth_date.isoformat()})"
            )
    return str(name or ""), resident if isinstance(resident, ResidentId) else None, str(phone or "")


def _groups(cells: Cells) -> tuple[str, ...]:
    chosen = [
        g for g in re.split(r"[\u3001,\uff0c;\uff1b\s]+", cells.row.get("人员类别").strip()) if g
    ]
    wrong = [g for g in chosen if g not in c.TARGETS]
    if wrong:
        cells.fail("人员类别", f"“{'、'.join(wrong)}”不在可选范围内({'、'.join(c.TARGETS)})")
    elif not chosen:
        cells.fail("人员类别", "没有填写")
    return tuple(dict.fromkeys(chosen))  # the file's order: the register writes them so


def _assign(signup: SignUp, found: list[Outcome], cells: Cells) -> None:
    """Attach each outcome to the project it belongs to (the latest one of a fitting track)."""
    for outcome in found:
        tracks = _OUTCOME_TRACKS.get(outcome.kind)
        indexes = [i for i, p in enumerate(signup.projects) if tracks is None or p.track in tracks]
        if not indexes:
            what = "结业" if outcome.kind == "completion" else lc.OUTCOME_KINDS[outcome.kind]
            cells.fail("参加项目", f"填写了{what},但参加项目里没有可以记录它的培训")
            continue
        index = indexes[0] if outcome.kind == "realname" else indexes[-1]
        signup.outcomes.setdefault(index, []).append(outcome)


def read_signup(
    row: Row, *, file: str, catalogue: Catalogue, today: date, unit: str | None
) -> Cells | SignUp:
    """Check one row; return the sign-up, or the cells with their problems."""
    cells = Cells(file, row, today)
    name, resident, phone = _identity(cells, today)
    household_type = cells.choice("户口类型", c.HOUSEHOLD_TYPES)
    household_place = cells.choice("户籍地", c.HOUSEHOLD_PLACES)
    education = cells.choice("文化程度", c.EDUCATION)
    employment_status = cells.choice("就业状态", c.EMPLOYMENT)
    groups = _groups(cells)
    home = _unit(catalogue, cells, default=unit)
    projects = _projects(catalogue, cells)
    if not home and projects and all(p.course_id for p in projects):
        home = catalogue.courses[projects[0].course_id or ""].unit
    elif not home and not cells.row.get("所属工会").strip():
        cells.fail("所属工会", "没有填写")
    found = outcomes_of(cells)
    consent_on = cells.day(CONSENT_ON)
    consent_kept = cells.text(CONSENT_KEPT, limit=100)
    if cells.problems or resident is None:
        return cells
    signup = SignUp(
        row.line,
        name,
        resident,
        phone,
        household_type,
        household_place,
        education,
        groups,
        employment_status,
        home_unit=home,
        projects=projects,
        consent_on=consent_on,
        consent_kept=consent_kept,
    )
    _assign(signup, found, cells)
    return cells if cells.problems else signup
