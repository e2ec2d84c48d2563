"""Read the cells of one row: dates, numbers, choices, and the outcome columns of the register.

Every reader returns the value or adds a `Problem` naming the row and column, so a whole file
is checked in one pass. The outcome columns (结业, 证书, 就业, 创业, 录入全总帮扶系统) are the
register's own, shared by sign-up files (a register exported elsewhere) and results files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from form_service.applications.identity import has_invisible
from form_service.applications.outcomes import EMPLOYMENT_ROUTES, OPEN_ENDED, Outcome
from form_service.imports.problems import Problem
from form_service.imports.reading import Row
from site_builder.catalog.vocabulary import LEVELS

_DATE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
ROUTE_OF_LABEL = {label: key for key, label in EMPLOYMENT_ROUTES.items()}
# The outcome columns, by kind (the register's names; 发证日期 and 就业途径 only in files).
CERTIFICATE = ("证书工种", "证书等级", "证书编号", "发证日期")
EMPLOYMENT = ("就业单位", "就业日期", "劳动合同期限(月)", "就业途径")
BUSINESS = ("创业项目", "开业日期", "带动就业人数")
COMPLETION = "结业日期"
REALNAME = "录入全总帮扶系统日期"


@dataclass
class Cells:
    """The cells of one row and the problems found in them."""

    file: str
    row: Row
    today: date
    problems: list[Problem] = field(default_factory=list)

    def fail(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, self.row.line, column, message))

    def text(self, column: str, *, limit: int, required: bool = False) -> str:
        value = unicodedata.normalize("NFC", self.row.get(column)).strip()
        if has_invisible(value):
            self.fail(column, "有看不见的字符或控制字符,请删除后重新输入")
            return ""
        if required and not value:
            self.fail(column, "没有填写")
        elif len(value) > limit:
            self.fail(column, f"不能超过 {limit} 个字(现在 {len(value)} 个字)")
            return ""
        return value

    def day(self, column: str, *, required: bool = False) -> date | None:
        raw = unicodedata.normalize("NFKC", self.row.get(column)).strip()
        if not raw:
            if required:
                self.fail(column, "没有填写日期,例如 2011-08-31")
            return None
        found = _DATE.fullmatch(raw)
        try:
            value = date(*(int(g) for g in found.groups())) if found else None
        except ValueError:
            value = None
        if value is None:
            self.fail(column, f"“{raw}”不是有效的日期,请按 2011-08-31 的格式填写")
        elif value.year < 2000:
            self.fail(column, f"{value.isoformat()} 太早了,请核对")
        elif value > self.today:
            self.fail(column, f"{value.isoformat()} 晚于今天({self.today.isoformat()})")
        else:
            return value
        return None

    def count(self, column: str, *, high: int) -> int | None:
        raw = unicodedata.normalize("NFKC", self.row.get(column)).strip().replace(",", "")
        if not raw:
            return None
        if not re.fullmatch(r"\d{1,9}", raw, re.ASCII) or int(raw) > high:
            self.fail(column, f"应为 0 到 {high} 之间的整数")
            return None
        return int(raw)

    def choice(self, column: str, allowed: Iterable[str], *, required: bool = True) -> str:
        value = unicodedata.normalize("NFC", self.row.get(column)).strip()
        options = list(allowed)
        if not value:
            if required:
                self.fail(column, "没有填写")
            return ""
        if value not in options:
            self.fail(column, f"“{value}”不在可选范围内({'、'.join(options)})")
            return ""
        return value

    def given(self, columns: Iterable[str]) -> bool:
        return any(self.row.get(c).strip() for c in columns)


def _contract(cells: Cells) -> tuple[int | None, bool]:
    column = "劳动合同期限(月)"
    raw = unicodedata.normalize("NFKC", cells.row.get(column)).strip()
    if raw == OPEN_ENDED:
        return None, True
    return cells.count(column, high=600), False


def outcomes_of(cells: Cells) -> list[Outcome]:
    """Return the outcomes a row's outcome columns hold (problems go to `cells`)."""
    found: list[Outcome] = []
    finished = cells.day(COMPLETION)
    if finished is not None:
        found.append(Outcome("completion", finished))
    if cells.given(CERTIFICATE):
        occupation = cells.text("证书工种", limit=40, required=True)
        level = cells.choice("证书等级", LEVELS)
        number = cells.text("证书编号", limit=60)
        issued = cells.day("发证日期", required=True)
        if occupation and level and issued:
            found.append(
                Outcome(
                    "certificate", issued, occupation=occupation, level=level, cert_number=number
                )
            )
    if cells.given(EMPLOYMENT):
        employer = cells.text("就业单位", limit=100, required=True)
        started = cells.day("就业日期", required=True)
        months, open_ended = _contract(cells)
        route = cells.choice("就业途径", ROUTE_OF_LABEL, required=False)
        if employer and started:
            found.append(
                Outcome(
                    "employment",
                    started,
                    employer=employer,
                    contract_months=months,
                    open_ended=open_ended,
                    found_via=ROUTE_OF_LABEL.get(route, ""),
                )
            )
    if cells.given(BUSINESS):
        name = cells.text("创业项目", limit=100, required=True)
        opened = cells.day("开业日期", required=True)
        jobs = cells.count("带动就业人数", high=10_000)
        if name and opened:
            found.append(Outcome("business", opened, business_name=name, jobs_created=jobs))
    entered = cells.day(REALNAME)
    if entered is not None:
        found.append(Outcome("realname", entered))
    return found


def same_outcome(stored: object, outcome: Outcome) -> bool:
    """Tell whether a stored outcome row is this outcome (so importing it again adds nothing)."""
    fields = ("kind", "occupation", "level", "cert_number", "employer", "business_name")
    if any(getattr(stored, name) != getattr(outcome, name) for name in fields):
        return False
    day = stored.happened_on  # type: ignore[attr-defined]
    return (day.isoformat() if isinstance(day, date) else str(day)[:10]) == (
        outcome.happened_on.isoformat()
    )
