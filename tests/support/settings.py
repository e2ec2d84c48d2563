"""The settings every test runs under: where the real content is, the pinned day, the keys."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
REAL_CONTENT = ROOT / "content"
# Inside the programme: the sample content is dated 2011 and courses are open for sign-up.
PINNED_TODAY = "2011-07-01"
SITE_URL = "https://jineng.example.org.cn/"
# Keys of the apps the tests start in-process and through `portal serve` (development mode).
SECRET_KEY = "test-secret-key-7f3a9c2e41b8d6f05a1c3e7b9d2f4a6c"
ID_KEY = "test-id-key-c4e8a1f9b3d7025e6a8c1f3b5d7e9a2c"
