"""`portal build --watch`: rebuild whenever a file under content/ changes (polling, no extra deps)."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

POLL_SECONDS = 1.0


def snapshot(content_dir: Path) -> dict[str, tuple[int, int]]:
    """Return (mtime, size) of every file under `content_dir`, by relative path."""
    found = {}
    for path in content_dir.rglob("*"):
        if path.is_file() and not path.name.startswith((".", "~")):
            stat = path.stat()
            found[path.relative_to(content_dir).as_posix()] = (stat.st_mtime_ns, stat.st_size)
    return found


def watch(content_dir: Path, *, rebuild: Callable[[], object], poll: float = POLL_SECONDS) -> None:
    """Call `rebuild` now and after every change to `content_dir`, until interrupted."""
    seen = snapshot(content_dir)
    rebuild()
    while True:
        time.sleep(poll)
        now = snapshot(content_dir)
        if now != seen:
            # Editors save in several steps; wait until the folder is quiet for one poll.
            time.sleep(poll)
            seen = snapshot(content_dir)
            rebuild()
