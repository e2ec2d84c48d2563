"""A small catalogue written to a temporary folder: enough units and courses for every case."""

from __future__ import annotations

from pathlib import Path

UNITS = """\
- id: huangpu
  name: 黄浦区总工会
  type: district
  short_name: 黄浦
  code: "310101"
  phone: "63211939"
- id: luwan
  name: 卢湾区总工会
  type: district
  active: "no"
  merged_into: huangpu
- id: yangpu
  name: 杨浦区总工会
  type: district
  short_name: 杨浦
  phone: 021-65124362
- id: ind-jianshe
  name: 建设工会
  type: industry
"""

BASES = """\
- id: b-huangpu
  name: 黄浦区职工技能培训分中心
  unit: huangpu
  address: 黄浦区某路1号
  phone: "63211939"
"""


def _course(
    cid: str,
    *,
    kind: str = "skills",
    unit: str = "huangpu",
    capacity: int = 2,
    apply_by: str = "2011-07-20",
    end: str = "2011-09-30",
    taken: int = 0,
) -> str:
    return f"""\
- id: {cid}
  title: 课程{cid}
  kind: {kind}
  occupation: 电工
  level: 五级
  base: b-huangpu
  unit: {unit}
  start_date: 2011-06-10
  end_date: {end}
  apply_by: {apply_by}
  capacity: {capacity}
  hours: 120
  fee: 800
  seats_taken: {taken}
"""


COURSES = "".join(
    [
        _course("c01-diangong", capacity=2),
        _course("c02-full", capacity=1, taken=1),
        _course("c03-closed", apply_by="2011-06-20"),
        _course("c04-luwan", unit="luwan", capacity=50),
        _course("c05-jiazheng", kind="housekeeping", unit="yangpu", capacity=30),
        _course("c06-syb", kind="entrepreneurship", unit="yangpu", capacity=30),
    ]
)

TARGETS = """\
year: 2011
city_totals:
  skills: 300
  housekeeping: 50
  entrepreneurship: 30
  placements: 150
cutoffs:
  - date: 2011-08-31
    due: 2011-09-06
units:
  - unit: huangpu
    skills: 200
    housekeeping: 20
    entrepreneurship: 10
    placements: 100
  - unit: yangpu
    skills: 100
    housekeeping: 30
    entrepreneurship: 20
    placements: 50
"""


def write_content(root: Path) -> Path:
    """Write the small catalogue under `root/content` and return that folder."""
    content = root / "content"
    for folder in ("bases", "courses", "job_fairs", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "units.yaml").write_text(UNITS, encoding="utf-8")
    (content / "bases" / "bases.yaml").write_text(BASES, encoding="utf-8")
    (content / "courses" / "courses.yaml").write_text(COURSES, encoding="utf-8")
    (content / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    return content
