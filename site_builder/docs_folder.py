"""The docs folder MkDocs reads, kept between builds: only files whose content changed are written.

A rebuild after a staff member edits one course rewrites a handful of files instead of deleting
and recreating thousands. A manifest of content hashes says what is on disk; it is removed
before any write and saved after the last, so a build killed half-way leaves no manifest and
the next build writes everything again.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

MANIFEST = "docs.manifest.json"


def _digest(content: bytes) -> str:
    return hashlib.blake2b(content, digest_size=16).hexdigest()


@dataclass(frozen=True)
class Synced:
    """What a sync changed: files written, files removed, and whether it started from nothing."""

    written: tuple[str, ...]
    removed: tuple[str, ...]
    fresh: bool


def sync(files: dict[str, str | bytes], *, docs_dir: Path) -> int:
    """Make `docs_dir` hold exactly `files`; return how many files were written."""
    return len(sync_changes(files, docs_dir=docs_dir).written)


def sync_changes(files: dict[str, str | bytes], *, docs_dir: Path) -> Synced:
    """Make `docs_dir` hold exactly `files`; return what changed."""
    manifest_path = docs_dir.parent / MANIFEST
    try:
        before: dict[str, str] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        before = {}
    if not before and docs_dir.exists():
        shutil.rmtree(docs_dir)  # unknown state: start again
    manifest_path.unlink(missing_ok=True)
    after: dict[str, str] = {}
    written = []
    for src, content in files.items():
        data = content.encode("utf-8") if isinstance(content, str) else content
        after[src] = _digest(data)
        target = docs_dir / src
        if before.get(src) == after[src] and target.is_file():
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
        written.append(src)
    removed = sorted(before.keys() - after.keys())
    for gone in removed:
        (docs_dir / gone).unlink(missing_ok=True)
    manifest_path.write_text(json.dumps(after), encoding="utf-8")
    return Synced(tuple(written), tuple(removed), fresh=not before)
