"""Publishing one edit without rebuilding every page: MkDocs' `dirty` build over a copy of the
live site, used only when that is certain to give the same pages as a full build.

A full build records, beside the site, what its pages depend on besides their own Markdown (the
site address, the sidebar, the date, the theme overrides, the generator and the MkDocs and
Material versions) and the build id it published. The next build may be incremental when the
live site is still that build and nothing on that list changed: it copies the live site, removes
the pages whose Markdown is gone, and lets MkDocs render only the pages whose Markdown the docs
folder rewrote (plus the sitemap and 404 page, always). Anything else is a full build.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import shutil
from importlib import metadata
from pathlib import Path
from typing import Any

from site_builder import published
from site_builder.render import paths

STATE = "incremental.json"
_HERE = Path(__file__).resolve().parent
_CODE = (_HERE / "overrides", _HERE / "generator.py", _HERE / "render" / "sanitize.py")


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


def copy_live(site_dir: Path, staging: Path, *, removed: tuple[str, ...]) -> None:
    """Copy the live site into `staging` (times kept), without the pages of removed docs."""
    shutil.copytree(site_dir, staging, dirs_exist_ok=True)
    (staging / published.STAMP).unlink(missing_ok=True)
    for src in removed:
        (staging / output_of(src)).unlink(missing_ok=True)
        if src.endswith(".md"):  # the page's QR code is placed beside it (posters)
            (staging / paths.qr_code(src)).unlink(missing_ok=True)
            with contextlib.suppress(OSError):
                (staging / output_of(src)).parent.rmdir()  # only when now empty
