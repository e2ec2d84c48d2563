"""Listing pages kept between builds: a course or fair page is rendered again only when the
call that renders it changed.

Each course and fair page is rendered by a function given exactly what the page shows (the
record, its base and units, the date, the site address; see `render._render`). The memo keeps
each page's text under a hash of that call (the function's name and its arguments, pickled:
equal bytes mean equal records) and of the code that renders it, beside the site; a page whose
hash is the one recorded reuses its text, any other is rendered. A one-listing edit so renders
one listing page instead of a thousand. The lists, home and feeds are always rendered.
"""

from __future__ import annotations

import hashlib
import json
import pickle
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

FILE = "page-memo.json"
_HERE = Path(__file__).resolve().parent
_CODE = (_HERE / "render", _HERE / "templates", _HERE / "catalog")


@cache
def _code() -> bytes:
    digest = hashlib.blake2b(digest_size=16)
    for root in _CODE:
        for path in sorted(root.rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2"):
                digest.update(path.relative_to(_HERE).as_posix().encode())
                digest.update(path.read_bytes())
    for package in ("jinja2", "markupsafe", "pyyaml"):
        digest.update(metadata.version(package).encode())
    return digest.digest()


class PageMemo:
    """The pages of the last build by the hash of the call that made them."""

    def __init__(self, kept: dict[str, list[str]]) -> None:
        self.kept = kept  # src -> [hash, text]
        self.now: dict[str, list[str]] = {}
        self.rendered = 0

    def page(self, src: str, make: Callable[..., str], *args: Any, **kwargs: Any) -> str:
        """Return the page `src`: `make(*args, **kwargs)`, unless that call made it last time."""
        call = (make.__module__, make.__qualname__, args, sorted(kwargs.items()))
        made = pickle.dumps(call, protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.blake2b(_code() + made, digest_size=16).hexdigest()
        before = self.kept.get(src)
        if before is not None and before[0] == key:
            text = before[1]
        else:
            text = make(*args, **kwargs)
            self.rendered += 1
        self.now[src] = [key, text]
        return text


def load(work: Path) -> PageMemo:
    """Return the memo of the last build in `work` (empty when there is none or it is unreadable)."""
    try:
        kept = json.loads((work / FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        kept = {}
    return PageMemo(kept if isinstance(kept, dict) else {})


def save(work: Path, memo: PageMemo) -> None:
    """Keep this build's pages for the next one (unchanged memos are not written again)."""
    if memo.rendered == 0 and memo.now.keys() == memo.kept.keys():
        return
    temporary = work / (FILE + ".tmp")
    temporary.write_text(json.dumps(memo.now, ensure_ascii=False), encoding="utf-8")
    temporary.replace(work / FILE)


def forget(work: Path) -> None:
    """Drop the memo: the next build renders every page."""
    (work / FILE).unlink(missing_ok=True)
