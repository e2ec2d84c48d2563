"""A small, valid content folder that each test breaks in one way."""

from __future__ import annotations

from pathlib import Path

import pytest

UNITS = """\
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

BASE = """\
id: b01
name: 上海市总工会培训中心
unit: yangpu
address: 杨浦区吉林路2号
postcode: "200082"
phone: "65124362"
"""

COURSE = """\
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

FAIR = """\
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

TARGETS = """\
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


@pytest.fixture
def small_content(tmp_path: Path) -> Path:
    """Write a minimal valid content folder and return its path."""
    root = tmp_path / "content"
    for folder in ("courses", "bases", "job_fairs", "pages"):
        (root / folder).mkdir(parents=True)
    (root / "units.yaml").write_text(UNITS, encoding="utf-8")
    (root / "targets.yaml").write_text(TARGETS, encoding="utf-8")
    (root / "bases" / "b01.yaml").write_text(BASE, encoding="utf-8")
    (root / "courses" / "c01.yaml").write_text(COURSE, encoding="utf-8")
    (root / "job_fairs" / "f01.yaml").write_text(FAIR, encoding="utf-8")
    (root / "pages" / "contacts.md").write_text("# 联系我们\n\n电话 65124362\n", encoding="utf-8")
    return root
