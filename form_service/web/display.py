"""What templates need besides the answers: the messages, phone links, dates in Shanghai time."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import Flask

from form_service import messages

SHANGHAI = ZoneInfo("Asia/Shanghai")


def tel_href(phone: str) -> str:
    """Return a `tel:` link; 8-digit Shanghai numbers get 021, extensions a pause."""
    main, _, extension = (
        phone.partition("-") if re.fullmatch(r"\d{8}-\d{1,5}", phone) else (phone, "", "")
    )
    digits = re.sub(r"\D", "", main)
    if len(digits) == 8:
        digits = "021" + digits
    return f"tel:{digits}" + (f",{extension}" if extension else "")


def shanghai_time(value: datetime) -> str:
    """Show a stored UTC time as Shanghai wall-clock time."""
    return value.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M")


def init_app(app: Flask) -> None:
    app.add_template_filter(tel_href)
    app.add_template_filter(shanghai_time)
    app.context_processor(lambda: {"messages": messages})
