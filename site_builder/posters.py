"""QR codes for printed posters: cached by URL, and drawn on another core while MkDocs works.

Drawing a QR code takes segno about 5 ms (most of it choosing the best mask), so 5,000 codes
would add half a minute to a first build. A code depends only on its URL, so it is kept in a
cache beside the site and drawn once; the ones not cached yet are drawn in a second process
while MkDocs (single-threaded) builds the pages, and copied into the site once it is built.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import shutil
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import ExitStack, contextmanager
from pathlib import Path

from site_builder.render.qr import qr_svg

VERSION = "qr-v1"  # change when qr_svg draws differently, so cached codes are redrawn
# Below this many new codes, starting a second Python costs more than it saves.
BACKGROUND_FROM = 60


def draw_all(urls: list[str]) -> list[str]:
    """Return the SVG for each URL (runs in the helper process)."""
    return [qr_svg(url) for url in urls]


def _key(url: str) -> str:
    return hashlib.sha256(f"{VERSION}\n{url}".encode()).hexdigest()[:32] + ".svg"


@contextmanager
def drawing(codes: dict[str, str], *, cache: Path) -> Iterator[Callable[[Path], None]]:
    """Start drawing `codes` (site path -> URL) missing from `cache`; yield `place(site_dir)`."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = sorted({url for url in codes.values() if not (cache / _key(url)).exists()})
    with ExitStack() as stack:
        future: Future[list[str]] | None = None
        if len(missing) >= BACKGROUND_FROM:
            # `spawn`, not `fork`: the staff console may call us from a threaded server.
            context = multiprocessing.get_context("spawn")
            pool = stack.enter_context(ProcessPoolExecutor(max_workers=1, mp_context=context))
            future = pool.submit(draw_all, missing)

        def place(site_dir: Path) -> None:
            drawn = future.result() if future else draw_all(missing)
            for url, svg in zip(missing, drawn, strict=True):
                temporary = cache / (_key(url) + ".tmp")
                temporary.write_text(svg, encoding="utf-8")
                temporary.replace(cache / _key(url))
            for site_path, url in codes.items():
                target = site_dir / site_path
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(cache / _key(url), target)
            used = {_key(url) for url in codes.values()}
            for stale in cache.glob("*.svg"):
                if stale.name not in used:
                    stale.unlink()

        yield place
