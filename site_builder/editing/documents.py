"""YAML files read and written round-trip (ruamel.yaml): comments, key order and quoting kept.

Only the keys a save changes are touched, so changing `capacity` changes that one line. Files are
replaced atomically (temporary file, fsync, rename, fsync of the folder): a reader sees the old
file or the new one, never half of one.
"""

from __future__ import annotations

import fcntl
import hashlib
import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML

# (sequence indent, dash offset) styles seen in content/: `key:\n  - item` and a top-level list.
_STYLES = ((4, 2), (2, 0))
LOCK_NAME = ".portal-edit.lock"


def version_of(data: bytes) -> str:
    """Return the version token of a file's bytes (what a form carries to detect stale saves)."""
    return hashlib.sha256(data).hexdigest()[:20]


def _yaml(style: tuple[int, int]) -> YAML:
    yaml = YAML()
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap long Chinese lines
    yaml.indent(mapping=2, sequence=style[0], offset=style[1])
    return yaml


class Document:
    """One YAML file loaded for editing; `dump()` writes it back in the file's own style."""

    def __init__(self, text: str) -> None:
        self.style = _STYLES[0]
        self.data: Any = None
        for style in _STYLES:
            data = _yaml(style).load(text)
            if self._dump(data, style) == text:
                self.style, self.data = style, data
                return
        self.data = _yaml(self.style).load(text)

    @staticmethod
    def _dump(data: Any, style: tuple[int, int]) -> str:
        out = io.StringIO()
        _yaml(style).dump(data, out)
        return out.getvalue()

    def dump(self) -> str:
        return self._dump(self.data, self.style)


def new_document(data: Any) -> str:
    """Return the text of a new file holding `data` (a mapping), in the content's usual style."""
    return Document._dump(data, _STYLES[0])


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data`: temporary file beside it, fsync, rename, fsync the folder."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


@contextmanager
def edit_lock(content_dir: Path) -> Iterator[None]:
    """Hold the content folder's edit lock: one check-and-write at a time, across processes."""
    with open(Path(content_dir) / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
