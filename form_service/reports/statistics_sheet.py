"""The statistics return as a file shaped like 附件2: title, unit, cut-off, due date, groups."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.applications.outcomes import FAIR_FIELDS, fair_results
from form_service.applications.queries import has_demo
from form_service.reports.spreadsheets import ExportFile, Sheet, export_file, render_text
from form_service.reports.statistics import (
    COUNTING_RULES,
    GROUPS,
    StatsReturn,
    compute_return,
    fetch_facts,
)
from site_builder.catalog import Catalogue

CITY_UNIT = "上海市总工会(全市汇总)"
# The footnotes quote the counting rules, numbered; the rules themselves live in statistics.py.
NOTES = tuple(
    f"{'说明:' if i == 1 else ''}{i}. {rule}" for i, rule in enumerate(COUNTING_RULES, start=1)
)
DEMO_NOTE = "注意:本表含演示数据(is_demo),不得上报。"
EXAMPLE_TARGETS_NOTE = (
    "注意:下列单位的指标数是示例数(指标分解表中标为示例),不是正式下达的指标,"
    "请换成附件1的正式指标后再上报:{units}。全市合计的指标数照通知原文,不是示例。"
)


def example_targets_note(result: StatsReturn, *, catalogue: Catalogue) -> str | None:
    """Name the units of the return whose targets are made up, or None when none are."""
    names = [
        row.label
        for row in result.rows
        if row.unit_id in catalogue.targets and catalogue.targets[row.unit_id].example
    ]
    return EXAMPLE_TARGETS_NOTE.format(units="、".join(names)) if names else None


def zh_date(day: date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def due_date(catalogue: Catalogue, cutoff: date) -> date | None:
    """Return when the return for `cutoff` is due, if it is one of the notice's cut-offs."""
    return next((c.due for c in catalogue.cutoffs if c.date == cutoff), None)


def title(catalogue: Catalogue) -> str:
    return f"{catalogue.year}年上海工会技能培训促就业工作情况统计表"


def return_sheet(
    result: StatsReturn, *, catalogue: Catalogue, unit_name: str | None, has_demo: bool
) -> Sheet:
    """Return the sheet of a statistics return (for CSV, XLSX or text)."""
    due = due_date(catalogue, result.cutoff)
    line = f"统计截止日期:{zh_date(result.cutoff)}"
    if due is not None:
        line += f"    报送日期:{zh_date(due)}前报市总工会培训中心"
    made_up = example_targets_note(result, catalogue=catalogue)
    notes = NOTES + ((made_up,) if made_up else ()) + ((DEMO_NOTE,) if has_demo else ())
    return Sheet(
        name=f"统计表{result.cutoff.isoformat()}",
        fieldnames=tuple(label for _, cols in GROUPS for _, label in cols),
        rows=[row.cells() for row in result.rows],
        title_lines=(
            title(catalogue),
            f"填报单位:{unit_name or CITY_UNIT}",
            line,
            "计量单位:人、场、家、个",
        ),
        groups=tuple((group, len(cols)) for group, cols in GROUPS),
        notes=notes,
    )


def file_name(result: StatsReturn, *, extension: str) -> str:
    return f"统计表-截至{result.cutoff.isoformat()}.{extension}"


def build_return(
    conn: sa.Connection, *, catalogue: Catalogue, cutoff: date, unit_id: str | None
) -> tuple[StatsReturn, Sheet]:
    """Count the return for the city (`unit_id` None) or one unit, and its sheet."""
    units = catalogue.units_reporting_to(unit_id)
    facts = fetch_facts(conn, catalogue=catalogue, cutoff=cutoff, unit_ids=units)
    fairs = {
        fair_id: {key: int(getattr(row, key)) for key in FAIR_FIELDS}
        for fair_id, row in fair_results(conn).items()
    }
    result = compute_return(
        catalogue=catalogue, facts=facts, fairs=fairs, cutoff=cutoff, only_unit=unit_id
    )
    sheet = return_sheet(
        result,
        catalogue=catalogue,
        unit_name=catalogue.units[unit_id].name if unit_id else None,
        has_demo=has_demo(conn, scope=units),
    )
    return result, sheet


def default_cutoff(catalogue: Catalogue, *, on: date) -> date:
    """Return the next reporting cut-off on or after `on`, else `on` itself."""
    upcoming = sorted(c.date for c in catalogue.cutoffs if c.date >= on)
    return upcoming[0] if upcoming else on


def produce_return(
    conn: sa.Connection,
    *,
    catalogue: Catalogue,
    cutoff: date,
    unit_id: str | None,
    fmt: str,
    by: Actor,
) -> ExportFile:
    """Build the return as an `xlsx`, `csv` or `text` file and write its audit record."""
    result, sheet = build_return(conn, catalogue=catalogue, cutoff=cutoff, unit_id=unit_id)
    name = file_name(result, extension=fmt)
    if fmt == "text":
        made = ExportFile.of_bytes(name, render_text(sheet).encode(), rows=len(result.rows))
    else:
        made = export_file(sheet, name=name, fmt=fmt)
    audit.record(
        conn,
        by=by,
        action="stats_export",
        unit_id=unit_id,
        target=f"统计表 截至{cutoff.isoformat()}",
        detail={"format": fmt, "cutoff": cutoff.isoformat()},
    )
    return made
