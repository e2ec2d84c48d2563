"""QR codes for printed posters: an SVG that opens the page it is printed on."""

from __future__ import annotations

import io

import segno


def qr_svg(url: str) -> str:
    """Return a standalone SVG QR code for `url` (medium error correction, quiet zone of 4)."""
    code = segno.make(url, error="m", micro=False)
    out = io.BytesIO()
    code.save(
        out,
        kind="svg",
        xmldecl=False,
        scale=5,
        border=4,
        dark="#000",
        light="#fff",
        title="扫码打开本页",
        nl=False,
    )
    return out.getvalue().decode("utf-8")
