"""Where `content/` is a git work tree of its own, each console save is also a commit."""

from __future__ import annotations

import logging
import shutil
import subprocess
from pathlib import Path

log = logging.getLogger(__name__)


def is_work_tree(content_dir: Path) -> bool:
    """Tell whether `content_dir` is the top of a git work tree (and git is installed)."""
    return (content_dir / ".git").exists() and shutil.which("git") is not None


def commit(content_dir: Path, *, path: Path, author: str, message: str) -> str | None:
    """Commit `path` with `author` (a staff username) as author; return the commit id.

    A failed commit never undoes a save (the history table has it): it is logged and skipped.
    """
    if not is_work_tree(content_dir):
        return None
    relative = path.relative_to(content_dir).as_posix()
    identity = ["-c", "user.name=portal", "-c", "user.email=portal@localhost"]
    steps = [
        ["git", "-C", str(content_dir), "add", "--", relative],
        [
            "git",
            "-C",
            str(content_dir),
            *identity,
            "commit",
            "--quiet",
            f"--author={author} <{author}@staff.portal>",
            "-m",
            message,
            "--",
            relative,
        ],
        ["git", "-C", str(content_dir), "rev-parse", "HEAD"],
    ]
    try:
        for step in steps:
            done = subprocess.run(step, capture_output=True, text=True, timeout=30, check=True)
    except (subprocess.SubprocessError, OSError):
        log.exception("git commit of %s failed; the save stands", relative)
        return None
    return done.stdout.strip()
