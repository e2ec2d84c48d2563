"""The whole catalogue as open data: `catalog.json` and CSV tables that open cleanly in Excel/WPS."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import fields
from datetime import date
from typing import Any

from site_builder.catalog import Catalogue, schema
from site_builder.render import paths

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\0")  # as form_service/spreadsheets.py


def _value(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return [_value(item) for item in value]
    return value


def _record(record: Any) -> dict[str, Any]:
    return {f.name: _value(getattr(record, f.name)) for f in fields(record) if f.name != "origin"}


def catalogue_json(catalogue: Catalogue, *, today: date, site_url: str) -> bytes:
    """Return every record with its page URL and the facts computed on `today`."""
    courses = []
    for c in catalogue.courses.values():
        row = _record(c)
        row.update(
            state=c.state_on(today),
            leads_to_primary_or_above=c.leads_to_primary_or_above,
            url=paths.absolute(site_url, paths.course(c.id)),
            apply_url=site_url.rstrip("/") + paths.apply_url(c),
        )
        courses.append(row)
    fairs = []
    for f in catalogue.job_fairs.values():
        row = _record(f)
        row["organisers"] = [{"role": role, "name": name} for role, name in f.organisers]
        row.update(
            upcoming=f.is_upcoming_on(today),
            url=paths.absolute(site_url, paths.job_fair(f.id)),
            calendar=paths.absolute(site_url, paths.job_fair_calendar(f.id)),
        )
        fairs.append(row)
    bases = [
        {**_record(b), "url": paths.absolute(site_url, paths.base(b.id))}
        for b in catalogue.bases.values()
    ]
    data = {
        "title": f"{catalogue.year}年上海工会“技能培训促就业行动”培训课程与招聘会",
        "as_of": today.isoformat(),
        "year": catalogue.year,
        "city_totals": catalogue.city_totals,
        "units": [_record(u) for u in catalogue.units.values()],
        "bases": bases,
        "courses": courses,
        "job_fairs": fairs,
    }
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8") + b"\n"


def _cell(value: Any) -> str:
    """Return text a spreadsheet shows as typed: lists joined, formulas defused with a quote."""
    if isinstance(value, bool):
        text = "是" if value else "否"
    elif isinstance(value, tuple):
        text = "、".join(
            f"{item[0]}:{item[1]}" if isinstance(item, tuple) else str(item) for item in value
        )
    elif isinstance(value, date):
        text = value.isoformat()
    else:
        text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _table(header: list[str], rows: list[list[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows([_cell(value) for value in row] for row in rows)
    # The BOM makes Excel and WPS read UTF-8 instead of guessing GBK.
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def courses_csv(catalogue: Catalogue, *, today: date, site_url: str) -> bytes:
    """Return one row per course; headers are the labels staff see in the content guide."""
    keys = [f.key for f in schema.COURSE]
    header = [f.label for f in schema.COURSE] + ["培训基地名称", "负责工会名称", "状态", "课程页面"]
    rows = [
        [getattr(c, key) for key in keys]
        + [
            catalogue.bases[c.base].name,
            catalogue.units[c.unit].name,
            c.state_on(today),
            paths.absolute(site_url, paths.course(c.id)),
        ]
        for c in catalogue.courses.values()
    ]
    return _table(header, rows)


def job_fairs_csv(catalogue: Catalogue, *, today: date, site_url: str) -> bytes:
    keys = [f.key for f in schema.JOB_FAIR]
    header = [f.label for f in schema.JOB_FAIR] + ["即将举办", "招聘会页面"]
    rows = [
        [getattr(f, key) for key in keys]
        + [f.is_upcoming_on(today), paths.absolute(site_url, paths.job_fair(f.id))]
        for f in catalogue.job_fairs.values()
    ]
    return _table(header, rows)


def bases_csv(catalogue: Catalogue, *, site_url: str) -> bytes:
    keys = [f.key for f in schema.BASE]
    header = [f.label for f in schema.BASE] + ["所属工会名称", "基地页面"]
    rows = [
        [getattr(b, key) for key in keys]
        + [catalogue.units[b.unit].name, paths.absolute(site_url, paths.base(b.id))]
        for b in catalogue.bases.values()
    ]
    return _table(header, rows)
