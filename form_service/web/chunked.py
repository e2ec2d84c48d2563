"""Request bodies sent without a Content-Length (chunked) get one, so the 64 KiB limit holds.

Werkzeug applies MAX_CONTENT_LENGTH to a chunked body by cutting the stream at the limit: the
form is parsed from the first 64 KiB and the rest is silently dropped, where a body with a
length over the limit is refused with 413. This middleware reads a chunked body (up to the
limit and one byte more) and hands it on with its length, so both are refused alike with the
Chinese 413 page. What follows an oversized body is read and dropped up to DRAIN bytes, so that
the client reads the answer instead of a reset connection. nginx in front buffers bodies and
always sends a length; this matters when gunicorn is reached directly.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable
from typing import Any

DRAIN = 1024 * 1024
_CHUNK = 64 * 1024


class LengthForChunked:
    """WSGI middleware: buffer chunked request bodies and give them a Content-Length."""

    def __init__(self, app: Callable[..., Iterable[bytes]], *, limit: Callable[[], int | None]):
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        chunked = "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()
        limit = self.limit()
        if chunked and not environ.get("CONTENT_LENGTH") and limit is not None:
            stream = environ["wsgi.input"]
            body = stream.read(limit + 1)
            if len(body) > limit:
                drained = 0
                while drained < DRAIN and stream.read(_CHUNK):
                    drained += _CHUNK
            # The body is whole now: Werkzeug ignores a length next to "chunked".
            del environ["HTTP_TRANSFER_ENCODING"]
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
        return self.app(environ, start_response)
