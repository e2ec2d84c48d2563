"""The draft catalogue: `content/` as saved (maybe not yet published), loaded when it changes."""

from __future__ import annotations

import threading
from pathlib import Path

from site_builder.catalog import Catalogue, ContentError, Problem, load_catalogue

_cache: dict[Path, tuple[tuple[tuple[str, int, int], ...], Catalogue | None, list[Problem]]] = {}
_lock = threading.Lock()


def _fingerprint(content_dir: Path) -> tuple[tuple[str, int, int], ...]:
    found = []
    for path in sorted(content_dir.rglob("*")):
        if path.suffix in (".yaml", ".yml", ".md") and not path.name.startswith("."):
            stat = path.stat()
            found.append((str(path), stat.st_mtime_ns, stat.st_size))
    return tuple(found)


def draft(content_dir: Path) -> tuple[Catalogue | None, list[Problem]]:
    """Return the draft catalogue (None when it has problems) and its problems."""
    content_dir = Path(content_dir)
    key = _fingerprint(content_dir)
    with _lock:
        cached = _cache.get(content_dir)
        if cached is not None and cached[0] == key:
            return cached[1], cached[2]
    try:
        loaded: Catalogue | None = load_catalogue(content_dir)
        problems: list[Problem] = []
    except ContentError as exc:
        loaded, problems = None, exc.problems
    with _lock:
        _cache[content_dir] = (key, loaded, problems)
    return loaded, problems
