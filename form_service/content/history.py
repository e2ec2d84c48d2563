"""The history of console saves and publishes: who, when, which file, and the change as a diff."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import sqlalchemy as sa

from form_service.store.tables import content_changes, content_publishes
from site_builder import published

ACTIONS = {
    "edit": "修改",
    "new": "新增",
    "withdraw": "撤下",
    "revert": "撤销修改",
}


@dataclass(frozen=True)
class DiffLine:
    """One line of a readable diff: `kind` is `same`, `removed`, `added` or `gap`."""

    kind: str
    old: int | None
    new: int | None
    text: str


def record_change(
    conn: sa.Connection,
    *,
    actor: str,
    unit_id: str | None,
    collection: str,
    record_id: str,
    path: str,
    action: str,
    changed: list[str],
    before: bytes,
    after: bytes,
    before_version: str,
    after_version: str,
    note: str = "",
) -> int:
    """Append one save to the history; return its id."""
    result = conn.execute(
        content_changes.insert().values(
            at=datetime.now(UTC),
            actor=actor,
            unit_id=unit_id,
            collection=collection,
            record_id=record_id,
            path=path,
            action=action,
            changed=changed,
            before_version=before_version,
            after_version=after_version,
            before_text=before.decode("utf-8"),
            after_text=after.decode("utf-8"),
            note=note,
        )
    )
    return int(result.inserted_primary_key[0])  # type: ignore[index]


def changes_of(conn: sa.Connection, *, collection: str, record_id: str) -> list[sa.Row]:
    """Return the saves of one record, newest first."""
    query = (
        sa.select(content_changes)
        .where(content_changes.c.collection == collection)
        .where(content_changes.c.record_id == record_id)
        .order_by(content_changes.c.id.desc())
    )
    return list(conn.execute(query))


def change(conn: sa.Connection, *, change_id: int) -> sa.Row | None:
    return conn.execute(sa.select(content_changes).where(content_changes.c.id == change_id)).first()


@dataclass(frozen=True)
class Pending:
    """A content file that differs from the published site's copy, and the saves behind it."""

    path: str  # as `portal check` prints it: content/courses/x.yaml
    state: str  # 修改 | 新增 | 删除
    saves: list[sa.Row]


def _files(folder: Path) -> dict[str, bytes]:
    found = {}
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if path.is_file() and not any(part.startswith(".") for part in relative.parts):
            found[relative.as_posix()] = path.read_bytes()
    return found


def pending(conn: sa.Connection, *, content_dir: Path, site_dir: Path) -> list[Pending] | None:
    """Return what a publish would change: files differing from the live build's content.

    None when the live site has no build stamp (never published by the console or `portal build`
    of this version), so there is nothing to compare with.
    """
    build = published.live_build(site_dir)
    if build is None or not build.content.is_dir():
        return None
    draft = _files(content_dir)
    live = _files(build.content)
    since = datetime.fromisoformat(build.at) if build.at else None
    found = []
    for relative in sorted(draft.keys() | live.keys()):
        if draft.get(relative) == live.get(relative):
            continue
        state = "新增" if relative not in live else "删除" if relative not in draft else "修改"
        shown = f"{content_dir.name}/{relative}"
        query = sa.select(content_changes).where(content_changes.c.path == shown)
        if since is not None:
            query = query.where(content_changes.c.at >= since)
        saves = list(conn.execute(query.order_by(content_changes.c.id)))
        found.append(Pending(shown, state, saves))
    return found


def publishes(conn: sa.Connection, *, limit: int = 10) -> list[sa.Row]:
    """Return the latest publishes, newest first."""
    query = sa.select(content_publishes).order_by(content_publishes.c.id.desc()).limit(limit)
    return list(conn.execute(query))


def record_publish(conn: sa.Connection, *, actor: str, build_id: str) -> None:
    """Note a publish and the last save it includes."""
    newest = conn.execute(sa.select(sa.func.max(content_changes.c.id))).scalar()
    conn.execute(
        content_publishes.insert().values(
            at=datetime.now(UTC), actor=actor, build_id=build_id, last_change_id=newest
        )
    )


def diff(before: str, after: str, *, context: int = 2) -> list[DiffLine]:
    """Return a line diff of two versions of a file, with `context` unchanged lines around."""
    old, new = before.splitlines(), after.splitlines()
    lines: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for group in matcher.get_grouped_opcodes(context):
        if lines:
            lines.append(DiffLine("gap", None, None, "…"))
        for tag, i1, i2, j1, j2 in group:
            if tag == "equal":
                lines += [
                    DiffLine("same", i1 + k + 1, j1 + k + 1, old[i1 + k]) for k in range(i2 - i1)
                ]
                continue
            lines += [DiffLine("removed", i + 1, None, old[i]) for i in range(i1, i2)]
            lines += [DiffLine("added", None, j + 1, new[j]) for j in range(j1, j2)]
    return lines
