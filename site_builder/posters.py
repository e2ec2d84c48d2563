"""QR codes for printed posters: cached by URL, and drawn on another core while MkDocs works.

Drawing a QR code takes segno about 5 ms (most of it choosing the best mask), so 5,000 codes
would add half a minute to a first build. A code depends only on its URL, so it is kept in a
cache beside the site and drawn once; the ones not cached yet are drawn in a second process
while MkDocs (single-threaded) builds the pages, and copied into the site once it is built.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
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


class _Helper:
    """A second Python drawing codes: URLs in on stdin, SVGs out on stdout, both as JSON.

    A plain subprocess rather than multiprocessing, which would re-import the caller's main
    module (a script, a WSGI server) in the child.
    """

    def __init__(self, urls: list[str]) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder.posters"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        assert self.process.stdin is not None
        # The helper reads all of its input before it writes anything: no deadlock.
        self.process.stdin.write(json.dumps(urls).encode())
        self.process.stdin.close()

    def result(self) -> list[str]:
        out = self.process.stdout.read() if self.process.stdout else b""
        err = self.process.stderr.read() if self.process.stderr else b""
        if self.process.wait() != 0:
            raise RuntimeError(f"drawing QR codes failed: {err.decode(errors='replace')[-2000:]}")
        drawn: list[str] = json.loads(out)
        return drawn

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdout, self.process.stderr):
            if stream:
                stream.close()


def _copy_unless_there(source: Path, target: Path) -> None:
    """Copy a cached code into the site with its time, unless that very copy is there already
    (a site copied from the live one has it: see incremental.copy_live)."""
    theirs = source.stat()
    try:
        ours = target.stat()
    except FileNotFoundError:
        target.parent.mkdir(parents=True, exist_ok=True)
    else:
        if (ours.st_size, ours.st_mtime_ns) == (theirs.st_size, theirs.st_mtime_ns):
            return
    shutil.copy2(source, target)


@contextmanager
def drawing(codes: dict[str, str], *, cache: Path) -> Iterator[Callable[[Path], None]]:
    """Start drawing `codes` (site path -> URL) missing from `cache`; yield `place(site_dir)`."""
    cache.mkdir(parents=True, exist_ok=True)
    missing = sorted({url for url in codes.values() if not (cache / _key(url)).exists()})
    helper = _Helper(missing) if len(missing) >= BACKGROUND_FROM else None

    def place(site_dir: Path) -> None:
        drawn = helper.result() if helper else draw_all(missing)
        for url, svg in zip(missing, drawn, strict=True):
            temporary = cache / (_key(url) + ".tmp")
            temporary.write_text(svg, encoding="utf-8")
            temporary.replace(cache / _key(url))
        for site_path, url in codes.items():
            _copy_unless_there(cache / _key(url), site_dir / site_path)
        used = {_key(url) for url in codes.values()}
        for stale in cache.glob("*.svg"):
            if stale.name not in used:
                stale.unlink()

    try:
        yield place
    finally:
        if helper:
            helper.stop()  # a failed build does not wait for codes nobody will use


if __name__ == "__main__":
    json.dump(draw_all(json.load(sys.stdin)), sys.stdout)
