"""The statistics return (统计表, 附件2 of 沪工总保〔2011〕122号) for a cut-off date.

Everything is counted from the dates outcomes happened on, on or before the cut-off, never from
today's state: a certificate issued on 09-02 does not count at 08-31 even when the return is
produced in December. People are counted once per unit and indicator (by the keyed hash of
their ID number), applications count toward the unit they were routed to, and 卢湾 counts
toward 黄浦 (`Catalogue.reporting_unit`).

What each 完成数 counts is `COUNTING_RULES` below, written once: the 统计表's footnotes quote
it (`statistics_sheet.py`) and `_Tally` follows it. 职业介绍 counts the people the union
placed (`counts_as_placement`), not every job found.
"""

from __future__ import annotations

import sys
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import NamedTuple

import sqlalchemy as sa

from form_service.applications import lifecycle as lc
from form_service.applications import queries as review
from form_service.applications.outcomes import FAIR_FIELDS
from form_service.reports.spreadsheets import Rate, Value
from form_service.store.tables import applications, outcomes
from site_builder.catalog import Catalogue
from site_builder.catalog.vocabulary import counts_as_primary_or_above

TRAINING_TRACKS = ("skills", "housekeeping", "entrepreneurship")
MAIN_GROUPS = ("农民工", "困难职工家庭高校毕业生", "下岗失业人员")
HOUSEKEEPING_GOAL = 80  # per cent of trainees in work: the national goal of 家政服务工程
PLACEMENT_MONTHS = 12
# Only the union's own introductions count toward 职业介绍 (介绍成功); a job from a fair, found by
# the person or otherwise is a job, but not a placement (outcomes.EMPLOYMENT_ROUTES).
PLACEMENT_ROUTES = frozenset({"union_referral"})

COUNTING_RULES = (
    "各项人数按结果发生日期统计(结业日期、发证日期、就业开始日期、办照日期、录入日期),"
    "截至统计截止日期(含当日),同一人在同一单位同一指标只计一次;卢湾区数据并入黄浦区。",
    "技能培训完成数 = 获得初级以上(国家职业资格五级至一级)证书人数,专项职业能力、培训合格证不计。",
    f"家政培训、创业培训完成数 = 结业人数;家政就业率 = 其中实现就业(任何途径、任何合同期限)÷ 结业人数,"
    f"全国目标 {HOUSEKEEPING_GOAL}%;创业培训其中成功创业 = 结业后办照开业人数,带动就业按其最近一次记录。",
    f"职业介绍完成数 = 经工会职业介绍成功就业、劳动合同期限 {PLACEMENT_MONTHS} 个月及以上"
    "(无固定期限合同计为 1 年以上)的人数,含求职登记人员;经招聘会、自行就业或其他途径就业的不计入;"
    "其中经培训后就业 = 其中参加技能、家政或创业培训的人数。",
    "结业人员构成按所列第一个重点人群(农民工、困难职工家庭高校毕业生、下岗失业人员,其余为其他就业困难人员)"
    "计入,四项之和等于三项培训结业人数之和;百企千岗进社区/职介专场按截止日期前举办的场次及录入结果统计;"
    "实名制 = 截止日期前录入全总帮扶系统的人数。",
    "完成率 = 完成数 ÷ 指标数,保留一位小数。全市合计的指标数为沪工总保〔2011〕122号下达的本市指标;"
    "局(产业)工会自行设定的指标单列小计,不计入全市指标。",
)


def counts_as_placement(
    *, found_via: str | None, contract_months: int | None, open_ended: bool
) -> bool:
    """Tell whether a job counts toward 职业介绍: a union placement of a year or more."""
    if found_via not in PLACEMENT_ROUTES:
        return False
    return open_ended or (contract_months or 0) >= PLACEMENT_MONTHS


GROUPS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("填报单位", (("unit", "单位"),)),
    (
        "技能培训",
        (
            ("skills_target", "指标数"),
            ("skills_trained", "结业人数"),
            ("skills_certified", "其中获初级以上证书(完成数)"),
            ("skills_rate", "完成率"),
        ),
    ),
    (
        "家政培训",
        (
            ("hk_target", "指标数"),
            ("hk_trained", "结业人数(完成数)"),
            ("hk_employed", "其中实现就业"),
            ("hk_employment_rate", "就业率(目标80%)"),
            ("hk_rate", "完成率"),
        ),
    ),
    (
        "创业培训",
        (
            ("ent_target", "指标数"),
            ("ent_trained", "结业人数(完成数)"),
            ("ent_started", "其中成功创业"),
            ("ent_jobs", "带动就业"),
            ("ent_rate", "完成率"),
        ),
    ),
    (
        "就业技能培训小计",
        (("sub_target", "指标数"), ("sub_done", "完成数"), ("sub_rate", "完成率")),
    ),
    (
        "结业人员构成",
        (
            ("grp_migrant", "农民工"),
            ("grp_graduate", "困难职工家庭高校毕业生"),
            ("grp_laidoff", "下岗失业人员"),
            ("grp_other", "其他就业困难人员"),
        ),
    ),
    (
        "职业介绍",
        (
            ("pl_target", "指标数"),
            ("pl_done", "工会介绍成功就业(1年以上合同)"),
            ("pl_after_training", "其中经培训后就业"),
            ("pl_rate", "完成率"),
        ),
    ),
    (
        "百企千岗进社区/职介专场",
        (
            ("fair_count", "场次"),
            ("fair_employers", "参会企业"),
            ("fair_posts", "提供岗位"),
            ("fair_visitors", "进场求职"),
            ("fair_intentions", "达成意向"),
            ("fair_hires", "确认录用"),
        ),
    ),
    ("实名制", (("realname", "录入全总帮扶系统人数"),)),
)
COLUMNS = tuple(key for _, cols in GROUPS for key, _ in cols)
RATES = {
    "skills_rate": ("skills_certified", "skills_target"),
    "hk_employment_rate": ("hk_employed", "hk_trained"),
    "hk_rate": ("hk_trained", "hk_target"),
    "ent_rate": ("ent_trained", "ent_target"),
    "sub_rate": ("sub_done", "sub_target"),
    "pl_rate": ("pl_done", "pl_target"),
}
TARGETS = {
    "skills_target": "skills",
    "hk_target": "housekeeping",
    "ent_target": "entrepreneurship",
    "pl_target": "placements",
}
GROUP_KEYS = dict(
    zip(
        (*MAIN_GROUPS, "其他"),
        ("grp_migrant", "grp_graduate", "grp_laidoff", "grp_other"),
        strict=True,
    )
)


class Fact(NamedTuple):
    """One dated outcome of one person's application (a tuple: there are 100,000s of them)."""

    unit_id: str
    track: str
    person: str
    kind: str
    happened_on: date
    groups: tuple[str, ...] = ()
    level: str = ""
    contract_months: int | None = None
    jobs_created: int | None = None
    found_via: str | None = None
    open_ended: bool = False


@dataclass
class Row:
    label: str
    kind: str  # district | industry | subtotal | total
    unit_id: str | None
    values: dict[str, Value] = field(default_factory=dict)

    def cells(self) -> list[Value]:
        return [self.values.get(key) for key in COLUMNS]


@dataclass(frozen=True)
class StatsReturn:
    cutoff: date
    rows: tuple[Row, ...]


def fetch_facts(
    conn: sa.Connection, *, catalogue: Catalogue, cutoff: date, unit_ids: Iterable[str] | None
) -> Iterator[Fact]:
    """Yield every outcome dated on or before `cutoff` (of the given routed units, or all).

    Facts are counted as they come and then dropped (300,000+ of them at the later cut-off);
    each person's hash is interned, so the sets of people hold one string per person.
    """
    a, o = applications.c, outcomes.c
    query = (
        sa.select(
            a.unit_id,
            a.flow,
            a.course_id,
            a.id_number_hash,
            review.groups_column(),
            o.kind,
            review.day_column(o.happened_on),
            o.level,
            o.contract_months,
            o.jobs_created,
            o.found_via,
            o.contract_open_ended,
        )
        .select_from(outcomes.join(applications, applications.c.id == o.application_id))
        .where(o.happened_on <= cutoff)
    )
    if unit_ids is not None:
        query = query.where(a.unit_id.in_(sorted(unit_ids)))
    tracks: dict[tuple[str, str | None], str] = {}
    for row in conn.execute(query.execution_options(yield_per=5_000)):
        unit_id, flow, course_id, person, groups, kind, day, level, months, jobs, via, open_ = row
        key = (flow, course_id)
        if key not in tracks:
            tracks[key] = lc.track_of(flow=flow, course_id=course_id, catalogue=catalogue)
        yield (
            Fact(
                unit_id,
                tracks[key],
                sys.intern(person),
                kind,
                review.day_of(day),
                review.groups_of(groups),
                level,
                months,
                jobs,
                via,
                bool(open_),
            )  # fmt: skip
        )


def _primary_group(groups: tuple[str, ...]) -> str:
    return next((g for g in MAIN_GROUPS if g in groups), "其他")


class _Tally:
    """The counts of one unit, kept up to date fact by fact (the facts themselves are not kept)."""

    def __init__(self) -> None:
        self.trained: dict[str, dict[str, tuple[str, ...]]] = {t: {} for t in TRAINING_TRACKS}
        self.certified: set[str] = set()
        self.hk_employed: set[str] = set()
        self.started: set[str] = set()
        self.placed: set[str] = set()
        self.after_training: set[str] = set()
        self.realname: set[str] = set()
        self.jobs: dict[str, tuple[date, int]] = {}

    def add(self, f: Fact) -> None:
        if f.kind == "completion" and f.track in self.trained:
            self.trained[f.track].setdefault(f.person, f.groups)
        elif f.kind == "certificate" and f.track == "skills":
            if counts_as_primary_or_above(f.level):
                self.certified.add(f.person)
        elif f.kind == "employment":
            if f.track == "housekeeping":
                self.hk_employed.add(f.person)
            if counts_as_placement(
                found_via=f.found_via, contract_months=f.contract_months, open_ended=f.open_ended
            ):
                self.placed.add(f.person)
                if f.track in TRAINING_TRACKS:
                    self.after_training.add(f.person)
        elif f.kind in ("business", "jobs") and f.track == "entrepreneurship":
            if f.kind == "business":
                self.started.add(f.person)
            jobs = self.jobs
            if f.jobs_created is not None and f.happened_on >= jobs.get(f.person, (date.min, 0))[0]:
                jobs[f.person] = (f.happened_on, f.jobs_created)
        elif f.kind == "realname":
            self.realname.add(f.person)

    def counts(self) -> dict[str, int]:
        trained, jobs = self.trained, self.jobs
        ent_started = self.started & trained["entrepreneurship"].keys()
        counts = {
            "skills_trained": len(trained["skills"]),
            "skills_certified": len(self.certified),
            "hk_trained": len(trained["housekeeping"]),
            "hk_employed": len(self.hk_employed & trained["housekeeping"].keys()),
            "ent_trained": len(trained["entrepreneurship"]),
            "ent_started": len(ent_started),
            "ent_jobs": sum(jobs[p][1] for p in ent_started if p in jobs),
            "pl_done": len(self.placed),
            "pl_after_training": len(self.after_training),
            "realname": len(self.realname),
        }
        for key in GROUP_KEYS.values():
            counts[key] = 0
        for people in trained.values():
            for groups in people.values():
                counts[GROUP_KEYS[_primary_group(groups)]] += 1
        return counts


def _count(value: Value) -> int:
    return value if isinstance(value, int) else 0


def _finish(row: Row) -> Row:
    """Fill the derived columns (subtotal of the three trainings, rates) of a row."""
    v = row.values
    targets = [v.get(k) for k in ("skills_target", "hk_target", "ent_target")]
    v["sub_target"] = None if all(t is None for t in targets) else sum(_count(t) for t in targets)
    v["sub_done"] = (
        _count(v["skills_certified"]) + _count(v["hk_trained"]) + _count(v["ent_trained"])
    )
    for key, (num, den) in RATES.items():
        target = v.get(den)
        v[key] = Rate(_count(v[num]), target if isinstance(target, int) else None)
    return row


def _fair_counts(
    catalogue: Catalogue, fairs: Mapping[str, Mapping[str, int]], cutoff: date
) -> dict[str, dict[str, int]]:
    by_unit: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for fair in catalogue.job_fairs.values():
        if fair.date > cutoff:
            continue
        counts = by_unit[catalogue.reporting_unit(fair.unit).id]
        counts["fair_count"] += 1
        for key in FAIR_FIELDS:
            counts[f"fair_{key}"] += int(fairs.get(fair.id, {}).get(key, 0))
    return by_unit


def compute_return(
    *,
    catalogue: Catalogue,
    facts: Iterable[Fact],
    fairs: Mapping[str, Mapping[str, int]],
    cutoff: date,
    only_unit: str | None = None,
) -> StatsReturn:
    """Build the return from dated facts; with `only_unit`, that unit's row alone."""
    by_unit: dict[str, _Tally] = defaultdict(_Tally)
    reporting: dict[str, str] = {}
    for fact in facts:
        if fact.happened_on <= cutoff:
            into = reporting.get(fact.unit_id)
            if into is None:
                into = reporting[fact.unit_id] = catalogue.reporting_unit(fact.unit_id).id
            by_unit[into].add(fact)
    fair_counts = _fair_counts(catalogue, fairs, cutoff)
    sections = (
        ("district", catalogue.active_districts()),
        ("industry", catalogue.industry_unions()),
    )
    rows: list[Row] = []
    for kind, units in sections:
        section = []
        for unit in units:
            if only_unit is not None and unit.id != only_unit:
                continue
            target = catalogue.targets.get(unit.id)
            values: dict[str, Value] = {"unit": unit.name}
            values.update({k: target.of(i) if target else None for k, i in TARGETS.items()})
            values.update((by_unit.get(unit.id) or _Tally()).counts())
            values.update({k: 0 for k in COLUMNS if k.startswith("fair_")})
            values.update(fair_counts.get(unit.id, {}))
            section.append(_finish(Row(unit.name, kind, unit.id, values)))
        rows.extend(section)
        if only_unit is None:
            label = "区县总工会小计" if kind == "district" else "局(产业)工会小计"
            rows.append(_finish(_add(label, "subtotal", section)))
    if only_unit is None:
        total = _add("全市合计", "total", [r for r in rows if r.kind in ("district", "industry")])
        total.values.update({k: catalogue.city_totals.get(i) for k, i in TARGETS.items()})
        rows.append(_finish(total))
    return StatsReturn(cutoff, tuple(rows))


def _add(label: str, kind: str, rows: list[Row]) -> Row:
    values: dict[str, Value] = {"unit": label}
    for key in COLUMNS:
        if key == "unit" or key in RATES:
            continue
        present = [r.values[key] for r in rows if r.values.get(key) is not None]
        values[key] = sum(_count(x) for x in present) if present else None
    return Row(label, kind, None, values)
