"""Publishing one edit without rebuilding every page: MkDocs' `dirty` build over a copy of the
live site, used only when that is certain to give the same pages as a full build.

A full build records, beside the site, what its pages depend on besides their own Markdown (the
site address, the sidebar, the date, the theme overrides, the generator and the MkDocs and
Material versions) and the build id it published. The next build may be incremental when the
live site is still that build, nothing on that list changed and no page is gone: it copies the
live site and lets MkDocs render only the pages whose Markdown the docs folder rewrote (plus the
sitemap and 404 page, always). Anything else is a full build: MkDocs checks the links of the
pages it renders only, so a page gone (a listing file deleted by hand) has every page's links
checked again.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from site_builder import published

STATE = "incremental.json"
_HERE = Path(__file__).resolve().parent
_CODE = (
    _HERE / "overrides",
    _HERE / "generator.py",
    _HERE / "render" / "sanitize.py",
    _HERE / "render" / "rawblocks.py",
    _HERE / "segmenting.py",
)


def _code_fingerprint() -> str:
    digest = hashlib.sha256()
    for root in _CODE:
        for path in sorted([root] if root.is_file() else root.rglob("*")):
            if path.is_file():
                digest.update(path.relative_to(_HERE).as_posix().encode())
                digest.update(path.read_bytes())
    for package in ("mkdocs", "mkdocs-material"):
        digest.update(metadata.version(package).encode())
    return digest.hexdigest()


def key(*, site_url: str, nav: Any, site_name: str, day: str) -> str:
    """Return what every page depends on besides its own Markdown, as one hash."""
    made = {"site_url": site_url, "nav": nav, "site_name": site_name, "day": day,
            "code": _code_fingerprint()}  # fmt: skip
    return hashlib.sha256(json.dumps(made, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def reusable(work: Path, *, site_dir: Path, wanted: str) -> bool:
    """Tell whether the live site is the recorded build and was made under the same key."""
    try:
        state = json.loads((work / STATE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    live = published.live_build(site_dir)
    return live is not None and state.get("build") == live.id and state.get("key") == wanted


def forget(work: Path) -> None:
    """Forget the recorded build: the next build is a full one (called before any build)."""
    (work / STATE).unlink(missing_ok=True)


def remember(work: Path, *, build_id: str, made_with: str) -> None:
    """Record the build just published and its key."""
    (work / STATE).write_text(json.dumps({"build": build_id, "key": made_with}), encoding="utf-8")


def output_of(src: str) -> str:
    """Return where MkDocs writes a docs file (directory URLs: `a/index.md` → `a/index.html`)."""
    if not src.endswith(".md"):
        return src
    stem = src[: -len(".md")]
    if stem == "index" or stem.endswith("/index"):
        return stem + ".html"
    return stem + "/index.html"


def copy_live(site_dir: Path, staging: Path, *, work: Path) -> None:
    """Make the empty folder `staging` a copy of the live site (times kept).

    The site retired by the last publish (`old-*`, kept by the sweep) is recycled when there is
    one: it differs from the live site only in what that publish changed, so bringing it up to
    date copies a handful of files instead of every page.
    """
    retired = sorted(work.glob("old-*"))
    if retired:
        staging.rmdir()
        retired[-1].rename(staging)
        _mirror(site_dir, staging)
    else:
        shutil.copytree(site_dir, staging, dirs_exist_ok=True)
    (staging / published.STAMP).unlink(missing_ok=True)


def _mirror(source: Path, target: Path) -> None:
    """Make `target` hold exactly `source`'s files with their times, copying only those whose
    size or modification time differ (every write here goes through copy2, which keeps times)."""
    kept: set[str] = set()
    for root, _dirs, names in os.walk(source):
        here = Path(root)
        into = target / here.relative_to(source)
        into.mkdir(exist_ok=True)
        for name in names:
            src, dst = here / name, into / name
            kept.add(str(dst))
            theirs = src.stat()
            try:
                ours = dst.stat()
            except FileNotFoundError:
                ours = None
            if ours is None or (ours.st_size, ours.st_mtime_ns) != (
                theirs.st_size,
                theirs.st_mtime_ns,
            ):
                shutil.copy2(src, dst)
    for root, dirs, names in os.walk(target, topdown=False):
        for name in names:
            if str(Path(root) / name) not in kept:
                (Path(root) / name).unlink()
        for name in dirs:
            with contextlib.suppress(OSError):
                (Path(root) / name).rmdir()  # only the ones left empty
