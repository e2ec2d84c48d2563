"""The whole-catalogue check of a file as it would be saved, with each problem put on its field.

The candidate is checked by the same `load_catalogue` that `portal check` runs, reading the
candidate's text in place of the file (an overlay, nothing written), so the console shows
exactly the Chinese message the command prints.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from site_builder.catalog.loader import check_content
from site_builder.catalog.model import Problem
from site_builder.catalog.yaml_source import YamlProblem, read_yaml
from site_builder.editing.collections import Collection, display_path, records_of

_QUOTED_KEY = re.compile(r'"([a-z_]+)"')


@dataclass
class Checked:
    """Problems a save would bring: on a field (key → messages), or elsewhere (whole lines)."""

    on_fields: dict[str, list[str]] = field(default_factory=dict)
    elsewhere: list[Problem] = field(default_factory=list)
    already: list[Problem] = field(default_factory=list)  # in other files before this save

    @property
    def ok(self) -> bool:
        return not self.on_fields and not self.elsewhere

    def messages(self) -> list[str]:
        """Return every problem as one line: the fields' messages, then those elsewhere."""
        return [m for ms in self.on_fields.values() for m in ms] + [str(p) for p in self.elsewhere]


def check_candidate(
    content_dir: Path,
    *,
    path: Path,
    text: str,
    collection: Collection,
    position: int | None,
    keys: list[str],
) -> Checked:
    """Check the whole content with `path` holding `text`; nothing in `content_dir` changes."""
    shown = display_path(content_dir, path)
    problems = check_content(content_dir, overlay={path: text})
    if not problems:
        return Checked()
    # Only now is it worth knowing which problems were there before this save.
    current = set(_problems_now(content_dir))
    lines = _key_lines(path, text, collection, position)
    checked = Checked(already=sorted((p for p in current if p.path != shown), key=str))
    for problem in problems:
        if problem.path != shown and problem in current:
            continue  # someone else's problem, already there: shown, but not blocking this save
        key = _key_of(problem, lines, keys) if problem.path == shown else None
        if key is None:
            checked.elsewhere.append(problem)
        else:
            checked.on_fields.setdefault(key, []).append(problem.message)
    return checked


_checked: dict[Path, tuple[tuple[tuple[str, int, int], ...], list[Problem]]] = {}


def _problems_now(content_dir: Path) -> list[Problem]:
    """Return `check_content(content_dir)`, remembered until a file in it changes."""
    stamp = tuple(
        (str(p), p.stat().st_mtime_ns, p.stat().st_size)
        for p in sorted(content_dir.rglob("*"))
        if p.is_file() and not p.name.startswith(".")
    )
    remembered = _checked.get(content_dir)
    if remembered is None or remembered[0] != stamp:
        remembered = _checked[content_dir] = (stamp, check_content(content_dir))
    return remembered[1]


def _key_lines(
    path: Path, text: str, collection: Collection, position: int | None
) -> list[tuple[int, str]]:
    """Return (line, key) of the edited record, plus the line where the next record starts."""
    try:
        located = read_yaml(path, text=text)
    except YamlProblem:
        return []
    records = records_of(located, collection)
    spans = [record for place, record in records if place == position]
    if not spans:
        return []
    record = spans[0]
    lines = [(value.line, key) for key, value in record.value.items()]
    later = [r.line for place, r in records if r.line > record.line]
    lines.append((min(later) if later else 10**9, ""))
    return [(record.line - 1, "")] + sorted(lines)


def _key_of(problem: Problem, lines: list[tuple[int, str]], keys: list[str]) -> str | None:
    """Return the form field a problem in the edited file belongs to, if it is one of `keys`."""
    if not lines or not lines[0][0] < problem.line < lines[-1][0]:
        return None
    named = [k for k in _QUOTED_KEY.findall(problem.message) if k in keys]
    if problem.line == lines[0][0] + 1 and named:
        return named[0]  # a missing required key is reported on the record's first line
    owner = ""
    for line, key in lines:
        if line > problem.line:
            break
        owner = key or owner
    return owner if owner in keys else None
