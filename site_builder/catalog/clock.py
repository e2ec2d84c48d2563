"""The one clock: `PORTAL_TODAY` (ISO date) or the real date in Shanghai."""

import os
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")


def today() -> date:
    """Return today's date as the build and the form service must both see it."""
    pinned = os.environ.get("PORTAL_TODAY", "").strip()
    if pinned:
        return date.fromisoformat(pinned)
    return datetime.now(UTC).astimezone(SHANGHAI).date()
