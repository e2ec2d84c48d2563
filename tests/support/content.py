"""Content written to a temporary folder: the form tests' small catalogue (enough units and
courses for every case), the catalogue tests' minimal valid folder, single YAML records."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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


def write_form_content(root: Path) -> Path:
    """Write the small catalogue under `root/content` and return that folder."""
    content = root / "content"
    for folder in ("bases", "courses", "job_fairs", "pages"):
        (content / folder).mkdir(parents=True, exist_ok=True)
    (content / "units.yaml").write_text(UNITS, encoding="utf-8")
    (content / "bases" / "bases.yaml").write_text(BASES, encoding="utf-8")
    (content / "courses" / "courses.yaml").write_text(COURSES, encoding="utf-8")
    (content / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    return content


MINIMAL_UNITS = """\
- id: yangpu
  name: 杨浦区总工会
  type: district
  short_name: 杨浦区
  code: "310110"
- id: luwan
  name: 卢湾区总工会
  type: district
  code: "310103"
  active: false
  merged_into: yangpu
- id: ind-jiaoyu
  name: 上海市教育工会
  type: industry
  example: true
"""

MINIMAL_BASE = """\
id: b01
name: 上海市总工会培训中心
unit: yangpu
address: 杨浦区吉林路2号
postcode: "200082"
phone: "65124362"
"""

MINIMAL_COURSE = """\
id: c01
title: 计算机操作员(五级)
kind: skills
occupation: 计算机操作员
level: 五级
base: b01
unit: yangpu
start_date: 2011-07-11
end_date: 2011-08-19
apply_by: 2011-07-08
capacity: 30
hours: 100
fee: 1130
target_groups: [农民工, 下岗失业人员]
"""

MINIMAL_FAIR = """\
id: f01
title: 百企千岗进社区——北站街道专场
date: 2011-07-09
start_time: "09:00"
end_time: "11:30"
unit: yangpu
venue: 北站街道社区文化活动中心
address: 天目中路1号
organisers:
  主办: 上海市总工会
  协办: [杨浦区总工会, 北站街道办事处]
"""

MINIMAL_TARGETS = """\
year: 2011
city_totals:
  skills: 100
  housekeeping: 10
  entrepreneurship: 5
  placements: 50
cutoffs:
  - date: 2011-08-31
    due: 2011-09-06
  - date: 2011-11-30
    due: 2011-12-05
units:
  - unit: yangpu
    skills: 100
    housekeeping: 10
    entrepreneurship: 5
    placements: 50
  - unit: ind-jiaoyu
    skills: 7
    housekeeping: 0
    entrepreneurship: 0
    placements: 3
    source: self_set
"""


def write_minimal_content(root: Path) -> Path:
    """Write the minimal valid content folder under `root/content` (each catalogue test breaks
    it in one way) and return that folder."""
    content = root / "content"
    for folder in ("courses", "bases", "job_fairs", "pages"):
        (content / folder).mkdir(parents=True)
    (content / "units.yaml").write_text(MINIMAL_UNITS, encoding="utf-8")
    (content / "targets.yaml").write_text(MINIMAL_TARGETS, encoding="utf-8")
    (content / "bases" / "b01.yaml").write_text(MINIMAL_BASE, encoding="utf-8")
    (content / "courses" / "c01.yaml").write_text(MINIMAL_COURSE, encoding="utf-8")
    (content / "job_fairs" / "f01.yaml").write_text(MINIMAL_FAIR, encoding="utf-8")
    (content / "pages" / "contacts.md").write_text(
        "# 联系我们\n\n电话 65124362\n", encoding="utf-8"
    )
    return content


def write_yaml(path: Path, record: dict[str, Any]) -> None:
    """Write one content record as staff would save it (UTF-8, keys in the given order)."""
    path.write_text(yaml.safe_dump(record, allow_unicode=True, sort_keys=False), encoding="utf-8")
