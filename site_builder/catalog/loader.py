"""Load `content/` into a Catalogue: gather and validate everything, then report every problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from site_builder.catalog import model as m
from site_builder.catalog import schema
from site_builder.catalog import vocabulary as v
from site_builder.catalog.model import Catalogue, Origin, Problem
from site_builder.catalog.records import (
    did_you_mean,
    key_lines,
    parse_fields,
    parse_record,
    records_in,
)
from site_builder.catalog.yaml_source import Located, YamlProblem, read_yaml


class ContentError(Exception):
    """The content has problems; `problems` lists all of them, in file order."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


@dataclass
class _Gathered:
    """Records as they are read, before cross-checks."""

    problems: list[Problem] = field(default_factory=list)
    # Files read from here instead of the disk: a save checked before it is written.
    overlay: dict[Path, str] = field(default_factory=dict)
    seen: dict[tuple[str, str], Origin] = field(default_factory=dict)
    # Every record's parsed values, valid or not, so cross-checks still run on a broken record.
    entries: dict[str, list[tuple[dict[str, Any], Origin]]] = field(default_factory=dict)


def load_catalogue(content_dir: Path, *, overlay: dict[Path, str] | None = None) -> Catalogue:
    """Read and validate all of `content_dir`; raise ContentError listing every problem.

    `overlay` gives the text of some YAML files as if they were written (new files included).
    """
    content_dir = Path(content_dir)
    g = _Gathered(overlay=dict(overlay or {}))
    if not content_dir.is_dir():
        raise ContentError([Problem(str(content_dir), 1, "内容目录不存在")])
    units = _load_kind(g, content_dir, "units.yaml", schema.UNIT, m.Unit, "units")
    bases = _load_kind(g, content_dir, "bases", schema.BASE, m.Base, "bases")
    courses = _load_kind(g, content_dir, "courses", schema.COURSE, m.Course, "courses")
    fairs = _load_kind(g, content_dir, "job_fairs", schema.JOB_FAIR, m.JobFair, "job_fairs")
    targets_file = _load_targets(g, content_dir)
    pages = _load_pages(g, content_dir)
    _check_references(g)
    _check_dates(g)
    year, city_totals, cutoffs, targets = targets_file
    _check_targets(g, units=units, targets=targets, city_totals=city_totals)
    if g.problems:
        raise ContentError(sorted(g.problems, key=lambda p: (p.path, p.line)))
    return Catalogue(
        units=units,
        bases=bases,
        courses=dict(sorted(courses.items(), key=lambda kv: (kv[1].start_date, kv[0]))),
        job_fairs=dict(sorted(fairs.items(), key=lambda kv: (kv[1].date, kv[0]))),
        targets=targets,
        city_totals=city_totals,
        cutoffs=cutoffs,
        year=year,
        pages=pages,
    )


def check_content(content_dir: Path, *, overlay: dict[Path, str] | None = None) -> list[Problem]:
    """Return every problem in `content_dir` (empty when it is clean), `overlay` as in
    `load_catalogue`."""
    try:
        load_catalogue(content_dir, overlay=overlay)
    except ContentError as exc:
        return exc.problems
    return []


def _display(content_dir: Path, path: Path) -> str:
    return f"{content_dir.name}/{path.relative_to(content_dir).as_posix()}"


def _read(g: _Gathered, content_dir: Path, path: Path) -> tuple[bool, Located | None]:
    """Return (readable, value); a syntax error is recorded once and the file skipped."""
    try:
        return True, read_yaml(path, text=g.overlay.get(path))
    except YamlProblem as exc:
        g.problems.append(Problem(_display(content_dir, path), exc.line, exc.message))
        return False, None


def _files(g: _Gathered, content_dir: Path, name: str) -> list[Path]:
    target = content_dir / name
    if target.is_file():
        return [target]
    if name.endswith(".yaml"):
        g.problems.append(Problem(_display(content_dir, target), 1, f"缺少文件 {name}"))
        return []
    found = {p for p in target.glob("*") if p.suffix in (".yaml", ".yml")}
    found |= {p for p in g.overlay if p.parent == target}
    return sorted(found)


def _load_kind(g, content_dir, name, spec, record_type, kind) -> dict[str, Any]:  # type: ignore[no-untyped-def]
    records: dict[str, Any] = {}
    for path in _files(g, content_dir, name):
        shown = _display(content_dir, path)
        readable, raw_file = _read(g, content_dir, path)
        if not readable:
            continue
        for raw in records_in(raw_file, path=shown, problems=g.problems):
            values, ok = parse_fields(raw, spec, path=shown, problems=g.problems)
            if not values:
                continue
            origin = Origin(shown, raw.line, key_lines(raw))
            g.entries.setdefault(kind, []).append((values, origin))
            # A record with a bad field still claims its id: a duplicate is reported in the
            # same run, not after the first fault is fixed.
            if "id" in values:
                first = g.seen.setdefault((kind, values["id"]), origin)
                if first is not origin:
                    g.problems.append(
                        Problem(
                            shown,
                            raw.line,
                            f'编号 "{values["id"]}" 重复(已在 {first.path}:{first.line} 使用)',
                        )
                    )
                    continue
            if ok:
                records[values["id"]] = record_type(**values, origin=origin)
    return records


def _load_targets(g: _Gathered, content_dir: Path):  # type: ignore[no-untyped-def]
    path = content_dir / "targets.yaml"
    shown = _display(content_dir, path)
    empty: tuple[int, dict[str, int], tuple[m.Cutoff, ...], dict[str, m.Target]] = (0, {}, (), {})
    if not path.is_file():
        g.problems.append(Problem(shown, 1, "缺少指标分解表文件 targets.yaml"))
        return empty
    readable, raw = _read(g, content_dir, path)
    if not readable:
        return empty
    if raw is None:
        g.problems.append(Problem(shown, 1, "文件是空的"))
        return empty
    top = parse_record(raw, schema.TARGETS_FILE, path=shown, problems=g.problems)
    if top is None:
        return empty
    totals = (
        parse_record(top["city_totals"], schema.CITY_TOTALS, path=shown, problems=g.problems) or {}
    )
    cutoffs = []
    for item in records_in(top["cutoffs"], path=shown, problems=g.problems):
        values = parse_record(item, schema.CUTOFF, path=shown, problems=g.problems)
        if values is None:
            continue
        if values["due"] < values["date"]:
            g.problems.append(
                Problem(
                    shown, item.line, f"报送日期 {values['due']} 早于统计截止日期 {values['date']}"
                )
            )
        cutoffs.append(m.Cutoff(**values))
    targets: dict[str, m.Target] = {}
    claimed: set[str] = set()
    for item in records_in(top["units"], path=shown, problems=g.problems):
        # Rows with a bad field keep the values that parsed, for the checks across rows.
        values, ok = parse_fields(item, schema.TARGET, path=shown, problems=g.problems)
        if not values:
            continue
        origin = Origin(shown, item.line, key_lines(item))
        if "unit" in values:
            if values["unit"] in claimed:
                g.problems.append(Problem(shown, item.line, f'单位 "{values["unit"]}" 的指标重复'))
                continue
            claimed.add(values["unit"])
        g.entries.setdefault("targets", []).append((values, origin))
        if ok:
            targets[values["unit"]] = m.Target(**values, origin=origin)
    origin_line = top["city_totals"].line if isinstance(top["city_totals"], Located) else raw.line
    g.seen[("targets", "city_totals")] = Origin(shown, origin_line)
    return top["year"], totals, tuple(sorted(cutoffs, key=lambda c: c.date)), targets


def _load_pages(g: _Gathered, content_dir: Path) -> dict[str, m.Page]:
    pages: dict[str, m.Page] = {}
    for path in sorted((content_dir / "pages").glob("*.md")):
        shown = _display(content_dir, path)
        try:
            markdown = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:
            g.problems.append(Problem(shown, 1, "文件不是 UTF-8 编码"))
            continue
        first = markdown.lstrip().splitlines()[0] if markdown.strip() else ""
        if not first.startswith("# "):
            g.problems.append(Problem(shown, 1, "页面第一行应是标题,例如 “# 联系我们”"))
            continue
        pages[path.stem] = m.Page(path.stem, first[2:].strip(), markdown, Origin(shown, 1))
    return pages


# (kind, key, label, kind referred to)
_REFERENCES = (
    ("units", "merged_into", "并入单位", "units"),
    ("bases", "unit", "所属工会", "units"),
    ("courses", "base", "培训基地", "bases"),
    ("courses", "unit", "负责工会", "units"),
    ("job_fairs", "unit", "负责工会", "units"),
)

# (kind, earlier key, later key, message when later < earlier); equal is allowed unless strict.
_ORDER = (
    ("courses", "start_date", "end_date", "结课日期 {later} 早于开课日期 {earlier}", False),
    ("courses", "apply_by", "end_date", "报名截止日期 {earlier} 晚于结课日期 {later}", False),
    ("courses", "self_pay", "fee", "个人自付 {earlier} 元高于培训费标准 {later} 元", False),
    ("job_fairs", "start_time", "end_time", "结束时间 {later} 不晚于开始时间 {earlier}", True),
)


def _check_references(g: _Gathered) -> None:
    for kind, key, label, target in _REFERENCES:
        # Ids of broken records count as existing: one mistake should give one message.
        pool = {values["id"] for values, _ in g.entries.get(target, []) if "id" in values}
        for values, origin in g.entries.get(kind, []):
            wanted = values.get(key)
            if wanted and wanted not in pool:
                message = f'{label} "{wanted}" 不存在{did_you_mean(wanted, pool)}'
                g.problems.append(Problem(origin.path, origin.line_of(key), message))


def _check_dates(g: _Gathered) -> None:
    for kind, earlier_key, later_key, template, strict in _ORDER:
        for values, origin in g.entries.get(kind, []):
            earlier, later = values.get(earlier_key), values.get(later_key)
            if earlier is None or later is None:
                continue
            if later < earlier or (strict and later == earlier):
                # Point at the key staff most likely mistyped: the later one, or apply_by.
                key = earlier_key if earlier_key == "apply_by" else later_key
                message = template.format(earlier=earlier, later=later)
                g.problems.append(Problem(origin.path, origin.line_of(key), message))


def _check_targets(g: _Gathered, *, units, targets, city_totals) -> None:  # type: ignore[no-untyped-def]
    rows = g.entries.get("targets", [])
    # Units with a bad field still exist for this check: one mistake, one message.
    pool = {values["id"] for values, _ in g.entries.get("units", []) if "id" in values}
    for values, origin in rows:
        unit = values.get("unit")
        if unit and unit not in pool:
            message = f'单位 "{unit}" 不存在{did_you_mean(unit, pool)}'
            g.problems.append(Problem(origin.path, origin.line_of("unit"), message))
    if not city_totals:
        return
    where = g.seen[("targets", "city_totals")]
    assigned_rows = [values for values, _ in rows if values.get("source", "assigned") == "assigned"]
    for indicator, label in v.INDICATORS.items():
        if any(indicator not in values for values in assigned_rows):
            continue  # a row's number is missing or bad: said already, a sum would mislead
        assigned = sum(int(values[indicator]) for values in assigned_rows)
        if assigned != city_totals.get(indicator, assigned):
            g.problems.append(
                Problem(
                    where.path,
                    where.line,
                    f"{label} 各区县指标合计 {assigned:,} 与全市指标 {city_totals[indicator]:,} 不符",
                )
            )
