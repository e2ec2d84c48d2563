"""Publishing on the file system: one build at a time, and a swap readers never see half-done."""

from __future__ import annotations

import ctypes
import errno
import fcntl
import os
import shutil
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_AT_FDCWD = -100
_RENAME_EXCHANGE = 2


def work_dir(site_dir: Path) -> Path:
    """Return the folder beside the site for the lock, caches and builds in progress."""
    folder = site_dir.parent / f"{site_dir.name}.build"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@contextmanager
def build_lock(site_dir: Path) -> Iterator[None]:
    """Hold an exclusive lock beside `site_dir`; a second build waits for the first to finish."""
    with open(work_dir(site_dir) / "lock", "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _exchange(first: Path, second: Path) -> bool:
    """Atomically swap two paths with renameat2(RENAME_EXCHANGE); False where unsupported."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    if result == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.EINVAL, errno.ENOSYS, errno.ENOTSUP, errno.EXDEV):
        return False
    raise OSError(code, os.strerror(code), str(second))


def retire(previous: Path, *, work: Path) -> None:
    """Keep the site just replaced as `old-*` beside it (the next build recycles or deletes it)."""
    previous.rename(work / f"old-{time.time_ns()}")


@contextmanager
def sweeping(work: Path) -> Iterator[None]:
    """Delete retired sites and half-built ones in the background while this build runs.

    Deleting thousands of files is slow disk work; done beside MkDocs (which keeps a core busy)
    it costs the build almost nothing, where done after publishing it would hold up the caller.
    Only folders present when the build starts are swept, and the build lock is held. The site
    retired last is kept: an incremental build recycles it (`incremental.copy_live`).
    """
    stale = sorted(work.glob("old-*"))[:-1] + sorted(work.glob("new-*"))
    thread = threading.Thread(target=_delete, args=(stale,), name="sweep-old-sites", daemon=True)
    thread.start()
    try:
        yield
    finally:
        thread.join()


def _delete(folders: list[Path]) -> None:
    for folder in folders:
        shutil.rmtree(folder, ignore_errors=True)


def publish(new: Path, live: Path) -> Path | None:
    """Put the folder `new` at `live`; return where the previous site now is, to be deleted."""
    if not live.exists():
        os.rename(new, live)
        return None
    if _exchange(new, live):
        return new
    # No atomic exchange here: two renames, leaving `live` missing for a moment only.
    previous = new.with_name(new.name + "-previous")
    os.rename(live, previous)
    os.rename(new, live)
    return previous
