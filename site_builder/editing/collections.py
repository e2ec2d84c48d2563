"""What the console edits and where each record lives: found by reading the files, never the URL.

A record is addressed by collection and id; the path comes from scanning the collection's own
files (so no path from a request is ever opened). Reading is tolerant: a file another person
broke by hand hides only its own records, and the rest stay editable.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from site_builder.catalog import schema
from site_builder.catalog.fields import SLUG, Field
from site_builder.catalog.yaml_source import Located, YamlProblem, read_yaml


@dataclass(frozen=True)
class Collection:
    """A kind of record: its URL name, label, field table and where its records are written."""

    name: str
    label: str
    one: str  # what one record is called, e.g. 课程
    fields: tuple[Field, ...]
    folder: str = ""  # one file per record in content/<folder>/ (new records allowed)
    file: str = ""  # or all records in one file
    list_key: str = ""  # …under this key of that file's top mapping
    id_key: str = "id"
    unit_key: str = "unit"  # whose record it is
    title_key: str = "title"

    @property
    def creatable(self) -> bool:
        return bool(self.folder)


COURSES = Collection("courses", "培训课程", "课程", schema.COURSE, folder="courses")
BASES = Collection("bases", "培训基地", "培训基地", schema.BASE, folder="bases", title_key="name")
JOB_FAIRS = Collection("job_fairs", "招聘会", "招聘会", schema.JOB_FAIR, folder="job_fairs")
UNITS = Collection(
    "units", "单位", "单位", schema.UNIT, file="units.yaml", unit_key="id", title_key="name"
)
TARGETS = Collection(
    "targets",
    "指标分解表",
    "指标",
    schema.TARGET,
    file="targets.yaml",
    list_key="units",
    id_key="unit",
    title_key="unit",
)
ALL = {c.name: c for c in (COURSES, BASES, JOB_FAIRS, UNITS, TARGETS)}
LISTINGS = (COURSES, BASES, JOB_FAIRS)


@dataclass(frozen=True)
class Entry:
    """Where one record is: its file, its place in a list (None: the file is the record)."""

    collection: Collection
    id: str
    path: Path
    position: int | None
    line: int
    raw: dict[str, Any]  # key -> text (str, list of str, or dict for organisers), as written

    @property
    def unit(self) -> str:
        return str(self.raw.get(self.collection.unit_key) or "")

    @property
    def title(self) -> str:
        return str(self.raw.get(self.collection.title_key) or self.id)


def plain(located: Located | None) -> Any:
    """Return a located YAML value as plain strings, lists and dicts."""
    if located is None or located.value is None:
        return None
    if isinstance(located.value, list):
        return [plain(item) for item in located.value]
    if isinstance(located.value, dict):
        return {key: plain(value) for key, value in located.value.items()}
    return located.value


def files_of(content_dir: Path, collection: Collection) -> list[Path]:
    if collection.folder:
        folder = content_dir / collection.folder
        return sorted(p for p in folder.glob("*") if p.suffix in (".yaml", ".yml"))
    return [content_dir / collection.file]


def records_of(located: Located | None, collection: Collection) -> list[tuple[int | None, Located]]:
    """Return (position, record) for each mapping in a file's parsed top value."""
    if located is None:
        return []
    value = located.value
    if collection.list_key:
        if not isinstance(value, dict) or collection.list_key not in value:
            return []
        value = value[collection.list_key].value
        if not isinstance(value, list):
            return []
        return [(i, item) for i, item in enumerate(value) if isinstance(item.value, dict)]
    if isinstance(value, list):
        return [(i, item) for i, item in enumerate(value) if isinstance(item.value, dict)]
    if isinstance(value, dict):
        return [(None, located)]
    return []


def index(content_dir: Path, collection: Collection) -> list[Entry]:
    """Return every record of `collection` found in `content_dir`, in file order."""
    return [e for path in files_of(content_dir, collection) for e in _entries_in(path, collection)]


def _entries_in(path: Path, collection: Collection) -> list[Entry]:
    try:
        located = read_yaml(path)
    except (YamlProblem, OSError):
        return []
    entries = []
    for position, record in records_of(located, collection):
        raw = {key: plain(value) for key, value in record.value.items()}
        record_id = raw.get(collection.id_key)
        if isinstance(record_id, str) and record_id:
            entries.append(Entry(collection, record_id, path, position, record.line, raw))
    return entries


def find(content_dir: Path, collection: Collection, record_id: str) -> Entry | None:
    """Return the record `record_id` of `collection`, or None.

    The usual file (`<folder>/<id>.yaml`) is read first; only when the record is not there is
    every file of the collection read.
    """
    if collection.folder and SLUG.match(record_id):
        usual = content_dir / collection.folder / f"{record_id}.yaml"
        if usual.is_file():
            found = [e for e in _entries_in(usual, collection) if e.id == record_id]
            if found:
                return found[0]
    return next((e for e in index(content_dir, collection) if e.id == record_id), None)


def record_in(data: Any, collection: Collection, position: int | None) -> Any:
    """Return the round-trip mapping of one record inside a loaded document."""
    if collection.list_key:
        data = data[collection.list_key]
    return data if position is None else data[position]


def display_path(content_dir: Path, path: Path) -> str:
    """Return a file's name as `portal check` prints it (`content/courses/x.yaml`)."""
    return f"{content_dir.name}/{path.relative_to(content_dir).as_posix()}"
