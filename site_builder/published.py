"""Which build is live: a stamp inside the published site naming the content it was built from.

Each publish copies `content/` aside (`site.build/published/<build id>/content/`), builds the site
from that copy and writes `.portal-build` into the new site before the atomic swap. The stamp and
the pages therefore change in one rename, and every process that serves forms can tell, with one
`stat`, whether the site changed and load the catalogue of exactly the pages people now see.
"""

from __future__ import annotations

import contextlib
import json
import os
import secrets
import shutil
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

STAMP = ".portal-build"
SNAPSHOTS = "published"
KEEP = 3  # snapshots kept: a worker reading the previous stamp still finds its content


@dataclass(frozen=True)
class Build:
    """A published build: its id, when it went live and the content folder it was built from."""

    id: str
    at: str
    content: Path


def new_build_id() -> str:
    """Return a sortable, unique id for a build (UTC time and a random tail)."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def snapshot(content_dir: Path, *, work: Path, build_id: str) -> Path:
    """Copy `content_dir` aside for `build_id`, without dot files (`.git`, locks, temporaries).

    Files unchanged since the previous snapshot (same size and modification time, which the
    copy keeps) are hard links to that snapshot's copy: links join snapshots only, never a file
    in `content/`, and snapshots are never written to, so no later edit reaches a snapshot.
    """
    earlier = sorted((work / SNAPSHOTS).glob(f"*/{content_dir.name}"))
    folder = work / SNAPSHOTS / build_id
    folder.mkdir(parents=True)
    target = folder / content_dir.name
    previous = earlier[-1] if earlier else None

    def copy(source: str, destination: str) -> None:
        if previous is not None:
            before = previous / Path(destination).relative_to(target)
            with contextlib.suppress(OSError):
                now, then = os.stat(source), before.stat()
                if (now.st_size, now.st_mtime_ns) == (then.st_size, then.st_mtime_ns):
                    os.link(before, destination)
                    return
        shutil.copy2(source, destination)

    shutil.copytree(content_dir, target, ignore=shutil.ignore_patterns(".*"), copy_function=copy)
    return target


def write_stamp(staging: Path, *, build_id: str, content: Path, work: Path) -> None:
    """Write the stamp into a site about to be published."""
    data = {
        "build": build_id,
        "at": datetime.now(UTC).isoformat(timespec="seconds"),
        "content": content.relative_to(work).as_posix(),
    }
    (staging / STAMP).write_text(json.dumps(data), encoding="utf-8")


def discard(content: Path, *, work: Path) -> None:
    """Delete the snapshot of a build that failed (and the snapshots folder if now empty)."""
    shutil.rmtree(content.parent, ignore_errors=True)
    with contextlib.suppress(OSError):
        (work / SNAPSHOTS).rmdir()


def prune(work: Path, *, keep_id: str) -> None:
    """Delete all but the newest KEEP snapshots (always keeping `keep_id`)."""
    folders = sorted((work / SNAPSHOTS).glob("*"), key=lambda p: p.name, reverse=True)
    for old in folders[KEEP:]:
        if old.name != keep_id:
            shutil.rmtree(old, ignore_errors=True)


def stamp_key(site_dir: Path) -> tuple[int, int, int] | None:
    """Return what identifies the live stamp cheaply (inode, size, mtime), None without one."""
    try:
        found = os.stat(site_dir / STAMP)
    except OSError:
        return None
    return (found.st_ino, found.st_size, found.st_mtime_ns)


def live_build(site_dir: Path) -> Build | None:
    """Read the live stamp; None when the site has none (never published by this version)."""
    try:
        data = json.loads((site_dir / STAMP).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    work = (site_dir.parent / f"{site_dir.name}.build").resolve()
    content = (work / str(data.get("content", ""))).resolve()
    if not content.is_relative_to(work / SNAPSHOTS):
        return None  # a stamp pointing anywhere else is not ours
    return Build(id=str(data.get("build", "")), at=str(data.get("at", "")), content=content)
