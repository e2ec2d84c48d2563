"""Chinese word segmentation for the search index, done by a second Python while MkDocs builds.

Material's search plugin segments the title and text of every indexed section with jieba as it
meets the page, on the one core MkDocs uses: loading jieba's dictionary and segmenting was about
a fifth of a full build. The generator hands each text to a helper process instead, which runs
the plugin's own segmentation on it (so the index holds exactly what the plugin would have
written), and fills the results into the plugin's index once the pages are built, before the
plugin writes it. Part of the generator (see generator.py): it knows the plugin's internals.
"""

from __future__ import annotations

import contextlib
import json
import secrets
import subprocess
import sys
from typing import Any


class Segmenter:
    """A helper process segmenting texts: one JSON string a line in, a JSON list out at the end."""

    def __init__(self) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "site_builder.segmenting"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        # Stands for the n-th text in the index until the helper's answer replaces it; the
        # random part cannot occur in a page.
        self._token = f"\x00segment-{secrets.token_hex(8)}-"
        self.count = 0

    def defer(self, text: str) -> str:
        """Send `text` to the helper; return the token that stands for its segmentation."""
        assert self.process.stdin is not None
        try:
            # The helper writes nothing before its input ends: no deadlock on a full pipe.
            self.process.stdin.write(json.dumps(text).encode() + b"\n")
        except BrokenPipeError:
            self.process.wait()
            err = self.process.stderr.read() if self.process.stderr else b""
            raise RuntimeError(
                f"segmenting failed: {err.decode(errors='replace')[-2000:]}"
            ) from None
        self.count += 1
        return f"{self._token}{self.count - 1}\x00"

    def fill(self, entries: list[dict[str, Any]]) -> None:
        """Wait for the helper; put its segmentations in place of the tokens in the index `entries`."""
        assert self.process.stdin is not None
        with contextlib.suppress(BrokenPipeError):  # a helper that died says why below
            self.process.stdin.close()
        out = self.process.stdout.read() if self.process.stdout else b""
        err = self.process.stderr.read() if self.process.stderr else b""
        if self.process.wait() != 0:
            raise RuntimeError(f"segmenting failed: {err.decode(errors='replace')[-2000:]}")
        segmented: list[str] = json.loads(out)
        if len(segmented) != self.count:
            raise RuntimeError(f"segmenting answered {len(segmented)} of {self.count} texts")
        for doc in entries:
            for key in ("title", "text"):
                value = doc.get(key)
                if isinstance(value, str) and value.startswith(self._token):
                    doc[key] = segmented[int(value[len(self._token) : -1])]

    def close(self) -> None:
        """End the helper if it still runs (a failed build does not wait for it)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.process.stderr):
            if stream and not stream.closed:
                stream.close()


def _serve() -> None:
    """Segment each line of stdin as Material's search plugin does; write them all at the end."""
    import logging

    from material.plugins.search import plugin
    from material.plugins.search.plugin import SearchIndex

    # jieba announces its dictionary on stderr, which nobody reads until the end.
    logging.getLogger("jieba").setLevel(logging.WARNING)
    if plugin.jieba is not None:
        # Load the dictionary (most of this helper's time) before the first text arrives, while
        # the build renders: what the first `cut` would do, done earlier.
        plugin.jieba.initialize()
    segmented = [SearchIndex._segment_chinese(None, json.loads(line)) for line in sys.stdin]  # type: ignore[arg-type]
    sys.stdout.write(json.dumps(segmented))


if __name__ == "__main__":
    _serve()
