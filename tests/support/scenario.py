"""A known set of applications and dated outcomes, and the statistics return it must give.

Cut-off 2011-08-31. Some outcomes fall after it (C's certificate on 09-05, E's job on 09-10,
J's job on 09-01, D's entry into 全总帮扶系统 on 09-02) and must not count at 08-31.
"""

from __future__ import annotations

from datetime import date

from flask import Flask

from form_service.applications import outcomes
from form_service.applications.lifecycle import TRACK_OF_FLOW
from form_service.applications.outcomes import Outcome
from form_service.store import Store
from form_service.web import services
from tests.support.applications import apply, record, train
from tests.support.people import id_number

CUTOFF = date(2011, 8, 31)
ADMIN = "shizong"
JULY4, JULY22, AUG10 = date(2011, 7, 4), date(2011, 7, 22), date(2011, 8, 10)
# Who applied: key, flow, unit, groups, ID sequence, course, course finished on (None: no course
# taken), then the outcomes recorded in order.
PEOPLE = (
    ("A", "training", "yangpu", ("农民工",), 11, "c05-diangong-wuji", AUG10, (
        Outcome("realname", date(2011, 8, 20)),
        Outcome("certificate", date(2011, 8, 25), occupation="电工", level="五级", cert_number="SH001"))),
    ("B", "training", "yangpu", ("下岗失业人员",), 13, None, AUG10, (
        Outcome("certificate", date(2011, 8, 25), occupation="电工", level="专项职业能力"),)),
    ("C", "training", "yangpu", ("困难职工家庭高校毕业生",), 15, None, AUG10, (
        Outcome("certificate", date(2011, 9, 5), occupation="电工", level="五级"),)),
    ("D", "housekeeping", "luwan", ("农民工",), 17, None, JULY22, (
        Outcome("employment", date(2011, 8, 1), employer="某家庭", contract_months=12, found_via="union_referral"),
        Outcome("realname", date(2011, 9, 2)))),
    ("E", "housekeeping", "huangpu", ("就业困难人员",), 19, None, JULY22, (
        Outcome("employment", date(2011, 9, 10), employer="某公司", contract_months=6, found_via="union_referral"),)),
    ("F", "entrepreneurship", "huangpu", ("下岗失业人员", "农民工"), 21, None, JULY22, (
        Outcome("business", date(2011, 8, 15), business_name="早餐店", jobs_created=2),
        Outcome("jobs", date(2011, 8, 30), jobs_created=4))),
    ("G", "jobseeker", "yangpu", ("下岗失业人员",), 23, None, None, (
        Outcome("employment", date(2011, 8, 20), employer="某物流公司", contract_months=24, found_via="union_referral"),
        Outcome("realname", date(2011, 8, 21)))),
    ("H", "jobseeker", "yangpu", ("下岗失业人员",), 25, None, None, (
        Outcome("employment", date(2011, 8, 20), employer="某物流公司", contract_months=6, found_via="union_referral"),)),
    ("I", "jobseeker", "ind-jianjiao", ("下岗失业人员",), 27, None, None, (
        Outcome("employment", date(2011, 8, 31), employer="某物流公司", contract_months=12, found_via="union_referral"),)),
    ("J", "jobseeker", "yangpu", ("下岗失业人员",), 29, None, None, (
        Outcome("employment", date(2011, 9, 1), employer="某物流公司", contract_months=12, found_via="union_referral"),)),
)  # fmt: skip
FAIR_RESULTS = (
    ("f02-yangpu-yinhang", "yangpu", {"employers": 85, "posts": 950, "visitors": 2100, "intentions": 260, "hires": 90}),
    ("f05-putuo-changfeng", "putuo", {"employers": 100, "posts": 1000, "visitors": 1800, "intentions": 240, "hires": 80}),
)  # fmt: skip


def build(app: Flask) -> dict[str, int]:
    """Store the scenario through the real submission and lifecycle code; return ids by person."""
    store: Store = services.store(app)
    cipher = services.cipher(app)
    ids: dict[str, int] = {}
    for key, flow, unit, groups, sequence, course, finished, results in PEOPLE:
        app_id = apply(store, cipher, flow=flow, unit_id=unit, groups=groups, name=f"测试{key}",
                       person_id=id_number("310110", "19800101", sequence), course_id=course)  # fmt: skip
        track = TRACK_OF_FLOW[flow]
        state = "已提交"
        if finished:
            state = train(store, application_id=app_id, track=track, start=JULY4, end=finished,
                          actor=ADMIN)  # fmt: skip
        for outcome in results:
            state = record(store, application_id=app_id, track=track, state=state,
                           outcome=outcome, actor=ADMIN)  # fmt: skip
        ids[key] = app_id
    with store.write() as conn:
        for fair_id, unit_id, counts in FAIR_RESULTS:
            outcomes.save_fair_result(
                conn, fair_id=fair_id, unit_id=unit_id, actor=ADMIN, counts=counts
            )
    return ids


# Targets of content/targets.yaml: (skills, housekeeping, entrepreneurship, placements).
TARGETS = {
    "黄浦区总工会": (1850, 300, 180, 900), "徐汇区总工会": (1850, 300, 180, 900),
    "长宁区总工会": (1350, 230, 140, 700), "静安区总工会": (750, 130, 80, 400),
    "普陀区总工会": (2150, 360, 210, 1050), "闸北区总工会": (1850, 300, 180, 900),
    "虹口区总工会": (1850, 300, 180, 900), "杨浦区总工会": (2600, 430, 260, 1300),
    "闵行区总工会": (2450, 410, 240, 1200), "宝山区总工会": (2300, 380, 230, 1150),
    "嘉定区总工会": (1500, 250, 150, 750), "浦东新区总工会": (4250, 710, 430, 2150),
    "金山区总工会": (1050, 180, 110, 550), "松江区总工会": (1350, 230, 140, 700),
    "青浦区总工会": (1050, 180, 110, 550), "奉贤区总工会": (1050, 180, 110, 550),
    "崇明县总工会": (750, 130, 70, 350), "上海市教育工会": (150, 20, 30, 80),
    "上海市医务工会": (120, 60, 10, 60), "上海市金融工会": (80, 10, 30, 50),
    "上海市建设交通工会": (400, 20, 20, 200), "宝钢集团工会": (300, 20, 20, 120),
    "上海石化工会": (200, 20, 20, 100), "上汽集团工会": (300, 10, 20, 150),
    "上海电气集团工会": (250, 10, 20, 120),
}  # fmt: skip


def quiet(label: str, *, fairs: int = 0) -> list[str]:
    """The row of a unit with nothing to report but fairs held (no results entered)."""
    s, h, e, p = TARGETS[label]
    return [label, str(s), "0", "0", "0.0%", str(h), "0", "0", "—", "0.0%", str(e), "0", "0", "0", "0.0%",
            str(s + h + e), "0", "0.0%", "0", "0", "0", "0", str(p), "0", "0", "0.0%",
            str(fairs), "0", "0", "0", "0", "0", "0"]  # fmt: skip


# The rows that are not quiet at the 2011-08-31 cut-off, every column spelled out.
EXPECTED_0831 = {
    "黄浦区总工会": ["黄浦区总工会", "1850", "0", "0", "0.0%", "300", "2", "1", "50.0%", "0.7%",
                     "180", "1", "1", "4", "0.6%", "2330", "3", "0.1%", "2", "0", "0", "1",
                     "900", "1", "1", "0.1%", "0", "0", "0", "0", "0", "0", "0"],
    "杨浦区总工会": ["杨浦区总工会", "2600", "3", "1", "0.0%", "430", "0", "0", "—", "0.0%",
                     "260", "0", "0", "0", "0.0%", "3290", "1", "0.0%", "1", "1", "1", "0",
                     "1300", "1", "0", "0.1%", "1", "85", "950", "2100", "260", "90", "2"],
    "上海市建设交通工会": ["上海市建设交通工会", "400", "0", "0", "0.0%", "20", "0", "0", "—", "0.0%",
                           "20", "0", "0", "0", "0.0%", "440", "0", "0.0%", "0", "0", "0", "0",
                           "200", "1", "0", "0.5%", "0", "0", "0", "0", "0", "0", "0"],
    "徐汇区总工会": quiet("徐汇区总工会", fairs=1),  # f04 on 08-27, results not entered
    "闸北区总工会": quiet("闸北区总工会", fairs=1),  # f01 on 07-09
    "浦东新区总工会": quiet("浦东新区总工会", fairs=1),  # f03 on 08-13
    "区县总工会小计": ["区县总工会小计", "30000", "3", "1", "0.0%", "5000", "2", "1", "50.0%", "0.0%",
                       "3000", "1", "1", "4", "0.0%", "38000", "4", "0.0%", "3", "1", "1", "1",
                       "15000", "2", "1", "0.0%", "4", "85", "950", "2100", "260", "90", "2"],
    "局(产业)工会小计": ["局(产业)工会小计", "1800", "0", "0", "0.0%", "170", "0", "0", "—", "0.0%",
                         "170", "0", "0", "0", "0.0%", "2140", "0", "0.0%", "0", "0", "0", "0",
                         "880", "1", "0", "0.1%", "0", "0", "0", "0", "0", "0", "0"],
    "全市合计": ["全市合计", "30000", "3", "1", "0.0%", "5000", "2", "1", "50.0%", "0.0%",
                 "3000", "1", "1", "4", "0.0%", "38000", "4", "0.0%", "3", "1", "1", "1",
                 "15000", "3", "1", "0.0%", "4", "85", "950", "2100", "260", "90", "2"],
}  # fmt: skip
ORDER = [*list(TARGETS)[:17], "区县总工会小计", *list(TARGETS)[17:], "局(产业)工会小计", "全市合计"]


def expected_0831() -> list[list[str]]:
    return [EXPECTED_0831.get(label) or quiet(label) for label in ORDER]
