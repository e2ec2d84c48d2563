"""Where the content and the published site live (environment first, then the checkout)."""

import os
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    return Path(os.environ.get("PORTAL_CONTENT_DIR") or PROJECT_ROOT / "content")


def site_dir() -> Path:
    return Path(os.environ.get("PORTAL_SITE_DIR") or PROJECT_ROOT / "site")


def site_url() -> str:
    """Return the public address of the site (for QR codes, sitemap, calendars), ending in `/`."""
    return (os.environ.get("PORTAL_SITE_URL") or "http://127.0.0.1:8000/").rstrip("/") + "/"
