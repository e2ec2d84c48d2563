"""One function per kind of page: records in, a Markdown document (front matter and body) out."""

from __future__ import annotations

from datetime import date

from site_builder.catalog import Base, Catalogue, Course, JobFair, Page, Unit
from site_builder.catalog import vocabulary as v
from site_builder.render import paths, structured
from site_builder.render.environment import front_matter, render
from site_builder.render.listing import Listed

HOME_COURSES = 6
HOME_FAIRS = 5
# What each indicator of the notice asks for, in plain words.
OUTCOMES = {
    "skills": "学完取得初级以上职业资格证书",
    "housekeeping": "培训后帮助就业",
    "entrepreneurship": "帮助有意愿的人创业",
    "placements": "介绍成功就业,并签订 1 年以上劳动合同",
}


def _upcoming(catalogue: Catalogue, today: date) -> list[JobFair]:
    return [f for f in catalogue.job_fairs.values() if f.is_upcoming_on(today)]


def home(
    catalogue: Catalogue, *, items: list[Listed], today: date, site_name: str, site_url: str
) -> str:
    accepting = [i for i in items if i.state in (v.OPEN, v.CLOSING_SOON)]
    accepting.sort(key=lambda i: (i.course.apply_by, i.course.id))
    targets = [
        {"label": label, "total": catalogue.city_totals.get(key, 0), "outcome": OUTCOMES[key]}
        for key, label in v.INDICATORS.items()
    ]
    body = render(
        "home.md.j2",
        src=paths.HOME,
        year=catalogue.year,
        targets=targets,
        fairs=_upcoming(catalogue, today)[:HOME_FAIRS],
        courses=accepting[:HOME_COURSES],
        open_total=len(accepting),
        has_contacts="contacts" in catalogue.pages,
    )
    jsonld = structured.script_text(structured.website(name=site_name, site_url=site_url))
    summary = "农民工、困难职工家庭高校毕业生和下岗失业人员的技能培训、家政培训、创业培训和招聘会。"
    return front_matter(title=site_name, description=summary, jsonld=jsonld) + body


def course(c: Course, *, base: Base, unit: Unit, handler: Unit, today: date, site_url: str) -> str:
    """A course's page from exactly what it shows (so that `page_memo` may keep it)."""
    state = c.state_on(today)
    body = render(
        "course.md.j2",
        src=paths.course(c.id),
        c=c,
        state=state,
        base=base,
        unit=unit,
        handler=handler,
        apply_url=paths.apply_url(c),
    )
    data = structured.course(c, base=base, unit=unit, today=today, site_url=site_url)
    summary = f"{v.KINDS[c.kind]} · {c.occupation} · {c.start_date.month}月{c.start_date.day}日开课 · {state}"
    return (
        front_matter(title=c.title, description=summary, jsonld=structured.script_text(data)) + body
    )


def base(b: Base, *, catalogue: Catalogue, courses: list[Listed], site_url: str) -> str:
    body = render(
        "base.md.j2",
        src=paths.base(b.id),
        b=b,
        unit=catalogue.units[b.unit],
        courses=courses,
    )
    data = structured.base(b, catalogue=catalogue, site_url=site_url)
    return (
        front_matter(title=b.name, description=b.address, jsonld=structured.script_text(data))
        + body
    )


def bases(catalogue: Catalogue, *, items: list[Listed]) -> str:
    open_at: dict[str, int] = {}
    for item in items:
        if item.state in (v.OPEN, v.CLOSING_SOON):
            open_at[item.course.base] = open_at.get(item.course.base, 0) + 1
    groups: dict[str, list[dict[str, object]]] = {}
    for b in catalogue.bases.values():
        if b.withdrawn:
            continue
        unit = catalogue.reporting_unit(b.unit)
        groups.setdefault(unit.id, []).append({"base": b, "open": open_at.get(b.id, 0)})
    ordered = [
        (unit, groups[unit.id])
        for unit in sorted(catalogue.units.values(), key=lambda u: u.type != "district")
        if unit.id in groups
    ]
    body = render("bases.md.j2", src=paths.BASES, groups=ordered)
    return (
        front_matter(title="培训基地", description="各区县和产业工会培训基地的地址和电话。") + body
    )


def job_fair(f: JobFair, *, unit: Unit, handler: Unit, today: date, site_url: str) -> str:
    """A fair's page from exactly what it shows (so that `page_memo` may keep it)."""
    organisers: dict[str, list[str]] = {}
    for role, name in f.organisers:
        organisers.setdefault(role, []).append(name)
    body = render(
        "job_fair.md.j2",
        src=paths.job_fair(f.id),
        f=f,
        upcoming=f.is_upcoming_on(today),
        organisers=[(role, organisers[role]) for role in v.ORGANISER_ROLES if role in organisers],
        # 求职登记 from this page carries the fair (issue 13); typed in from a printed flyer too.
        register=paths.fair_registration(f.id),
        register_url=site_url.rstrip("/") + paths.fair_registration(f.id),
        handler=handler.name,
    )
    data = structured.fair(f, unit=unit, site_url=site_url)
    summary = f"{f.date.month}月{f.date.day}日 {f.start_time}–{f.end_time} · {f.venue}"
    return (
        front_matter(title=f.title, description=summary, jsonld=structured.script_text(data)) + body
    )


def job_fairs(catalogue: Catalogue, *, today: date, site_url: str) -> str:
    upcoming = _upcoming(catalogue, today)
    past = [
        f
        for f in reversed(catalogue.job_fairs.values())
        if not f.is_upcoming_on(today) and not f.withdrawn
    ]
    body = render("job_fairs.md.j2", src=paths.JOB_FAIRS, upcoming=upcoming, past=past)
    data = structured.upcoming_fairs(upcoming, site_url=site_url)
    summary = "工会“百企千岗进社区”等招聘会的时间、地点和岗位。"
    return (
        front_matter(title="招聘会", description=summary, jsonld=structured.script_text(data))
        + body
    )


# Placeholders staff may write in a page for facts kept in one place (vocabulary.py); plain
# text replacement, nothing else in staff text is ever evaluated.
RETENTION_YEARS_MARK = "【保存年限】"
RETENTION_END_MARK = "【删除日期】"


def content_page(page: Page, *, year: int) -> str:
    """Return a page staff wrote, with a title the theme can print safely."""
    text = page.markdown.replace(RETENTION_YEARS_MARK, str(v.RETENTION_YEARS))
    text = text.replace(RETENTION_END_MARK, v.retention_end(year))
    return front_matter(title=page.title) + text
