"""Typed, validated records of the catalogue and the facts derived from them."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from site_builder.catalog import vocabulary as v


@dataclass(frozen=True)
class Problem:
    """One content problem, printed as `path:line: message`."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}: {self.message}"


@dataclass(frozen=True)
class Origin:
    """Where a record was written, for messages and 'edit this' hints."""

    path: str
    line: int
    key_lines: tuple[tuple[str, int], ...] = ()

    def line_of(self, key: str) -> int:
        """Return the line of `key` in the record, or the record's first line."""
        return dict(self.key_lines).get(key, self.line)


@dataclass(frozen=True)
class Unit:
    id: str
    name: str
    type: str  # district | industry
    short_name: str = ""
    code: str = ""  # GB/T 2260 code for districts
    active: bool = True
    merged_into: str = ""
    example: bool = False
    phone: str = ""
    address: str = ""
    hours: str = ""  # when the phone is answered and the office is open
    contact_example: bool = False  # phone, address and hours are made up
    origin: Origin | None = field(default=None, compare=False)

    @property
    def label(self) -> str:
        return self.short_name or self.name


@dataclass(frozen=True)
class Base:
    id: str
    name: str
    unit: str
    address: str
    phone: str
    kind: str = ""
    postcode: str = ""
    contact: str = ""
    transport: str = ""
    opening_hours: str = ""
    occupations: tuple[str, ...] = ()
    national_base: bool = False
    appraisal_site: bool = False
    example: bool = False
    description: str = ""
    withdrawn: str = ""  # why staff took the listing down (撤下); kept, never deleted
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Course:
    id: str
    title: str
    kind: str  # skills | housekeeping | entrepreneurship
    occupation: str
    level: str
    base: str
    unit: str
    start_date: dt.date
    end_date: dt.date
    apply_by: dt.date
    capacity: int
    hours: int
    fee: int
    self_pay: int = 0
    subsidy: str = ""
    schedule: str = ""
    target_groups: tuple[str, ...] = ()
    eligibility: str = ""
    certificate: str = ""
    seats_taken: int = 0
    example: bool = False
    description: str = ""
    withdrawn: str = ""  # why staff took the listing down (撤下); kept, never deleted
    origin: Origin | None = field(default=None, compare=False)

    @property
    def indicator(self) -> str:
        """Name the notice's indicator this course counts toward."""
        return v.INDICATOR_OF_KIND[self.kind]

    @property
    def leads_to_primary_or_above(self) -> bool:
        return v.counts_as_primary_or_above(self.level)

    def state_on(self, day: dt.date, *, seats_taken: int | None = None) -> str:
        """Return the listing state (报名中 / 即将截止 / 已满 / 已截止 / 已结束) on `day`."""
        taken = self.seats_taken if seats_taken is None else seats_taken
        if self.withdrawn:
            return v.WITHDRAWN
        if day > self.end_date:
            return v.ENDED
        if day > self.apply_by:
            return v.CLOSED
        if taken >= self.capacity:
            return v.FULL
        if self.apply_by - day < dt.timedelta(days=v.CLOSING_SOON_DAYS):
            return v.CLOSING_SOON
        return v.OPEN

    def accepts_sign_ups_on(self, day: dt.date, *, seats_taken: int | None = None) -> bool:
        return self.state_on(day, seats_taken=seats_taken) in (v.OPEN, v.CLOSING_SOON)


@dataclass(frozen=True)
class JobFair:
    id: str
    title: str
    date: dt.date
    start_time: str
    end_time: str
    unit: str
    venue: str
    address: str
    series: str = ""
    street: str = ""
    transport: str = ""
    organisers: tuple[tuple[str, str], ...] = ()  # (role, name) pairs: 主办 / 承办 / 协办
    employers: int = 0  # planned number of employers
    posts: int = 0  # planned number of posts
    post_types: tuple[str, ...] = ()
    target_groups: tuple[str, ...] = ()
    bring: tuple[str, ...] = ()
    services: tuple[str, ...] = ()
    contact: str = ""
    phone: str = ""
    example: bool = False
    description: str = ""
    withdrawn: str = ""  # why staff took the listing down (撤下); kept, never deleted
    origin: Origin | None = field(default=None, compare=False)

    def is_upcoming_on(self, day: dt.date) -> bool:
        return self.date >= day and not self.withdrawn


@dataclass(frozen=True)
class Target:
    """One row of the 指标分解表: a unit's four indicators for the year."""

    unit: str
    skills: int
    housekeeping: int
    entrepreneurship: int
    placements: int
    source: str = "assigned"  # assigned | self_set
    note: str = ""
    example: bool = False  # made-up numbers, marked in the 统计表
    origin: Origin | None = field(default=None, compare=False)

    def of(self, indicator: str) -> int:
        return int(getattr(self, indicator))


@dataclass(frozen=True)
class Cutoff:
    """A reporting cut-off of the statistics return and the date the return is due."""

    date: dt.date
    due: dt.date
    label: str = ""


@dataclass(frozen=True)
class Page:
    """A Markdown page staff write in `content/pages/`."""

    slug: str
    title: str
    markdown: str
    origin: Origin | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Catalogue:
    units: dict[str, Unit]
    bases: dict[str, Base]
    courses: dict[str, Course]
    job_fairs: dict[str, JobFair]
    targets: dict[str, Target]
    city_totals: dict[str, int]
    cutoffs: tuple[Cutoff, ...]
    year: int
    pages: dict[str, Page]

    def active_districts(self) -> list[Unit]:
        return [u for u in self.units.values() if u.type == "district" and u.active]

    def industry_unions(self) -> list[Unit]:
        return [u for u in self.units.values() if u.type == "industry" and u.active]

    def reporting_unit(self, unit_id: str) -> Unit:
        """Follow merges (卢湾 → 黄浦) to the unit that reports today."""
        unit = self.units[unit_id]
        seen = {unit.id}
        while unit.merged_into and unit.merged_into not in seen:
            unit = self.units[unit.merged_into]
            seen.add(unit.id)
        return unit

    def units_reporting_to(self, unit_id: str | None) -> frozenset[str] | None:
        """Return the unit ids whose figures roll up into `unit_id` (itself included); None = all."""
        if unit_id is None:
            return None
        return frozenset(u for u in self.units if self.reporting_unit(u).id == unit_id)

    def courses_of_base(self, base_id: str) -> list[Course]:
        return sorted(
            (c for c in self.courses.values() if c.base == base_id), key=lambda c: c.start_date
        )
