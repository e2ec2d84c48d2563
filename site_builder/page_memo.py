"""Listing pages kept between builds: a course or fair page is rendered again only when what it
is made of changed.

A course page is made of its record, its base and unit records, the date and the site address
(see `render._render`), and of the code that renders it. The memo keeps each page's text under a
hash of all of that (the records pickled: equal bytes mean equal records), beside the site; a
page whose hash is the one recorded reuses its text, any other is rendered. A one-listing edit
so renders one listing page instead of a thousand. The lists, home and feeds are always rendered.
"""

from __future__ import annotations

import hashlib
import pickle
from collections.abc import Callable
from functools import cache
from importlib import metadata
from pathlib import Path
from typing import Any

FILE = "page-memo.pickle"
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
    """The pages of the last build by the hash of what made them; `page` reuses or renders."""

    def __init__(self, kept: dict[str, tuple[bytes, str]]) -> None:
        self.kept = kept
        self.now: dict[str, tuple[bytes, str]] = {}
        self.rendered = 0

    def page(self, src: str, made_of: tuple[Any, ...], make: Callable[[], str]) -> str:
        """Return the page `src`, rendered by `make` unless `made_of` is what made it last."""
        made = pickle.dumps(made_of, protocol=pickle.HIGHEST_PROTOCOL)
        key = hashlib.blake2b(_code() + made, digest_size=16).digest()
        before = self.kept.get(src)
        if before is not None and before[0] == key:
            text = before[1]
        else:
            text = make()
            self.rendered += 1
        self.now[src] = (key, text)
        return text


def load(work: Path) -> PageMemo:
    """Return the memo of the last build in `work` (empty when there is none or it is unreadable)."""
    try:
        kept = pickle.loads((work / FILE).read_bytes())  # written by `save` only
    except (OSError, pickle.UnpicklingError, EOFError, ValueError, TypeError, AttributeError):
        kept = {}
    return PageMemo(kept if isinstance(kept, dict) else {})


def save(work: Path, memo: PageMemo) -> None:
    """Keep this build's pages for the next one (unchanged memos are not written again)."""
    if memo.rendered == 0 and memo.now.keys() == memo.kept.keys():
        return
    temporary = work / (FILE + ".tmp")
    temporary.write_bytes(pickle.dumps(memo.now, protocol=pickle.HIGHEST_PROTOCOL))
    temporary.replace(work / FILE)


def forget(work: Path) -> None:
    """Drop the memo: the next build renders every page."""
    (work / FILE).unlink(missing_ok=True)
