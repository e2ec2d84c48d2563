"""What templates need besides the answers: the messages, phone links, dates in Shanghai time."""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from form_service import messages
from site_builder.catalog.clock import SHANGHAI
from site_builder.render.text import tel_href


def shanghai_time(value: datetime) -> str:
    """Show a stored UTC time as Shanghai wall-clock time."""
    return value.astimezone(SHANGHAI).strftime("%Y年%m月%d日 %H:%M")


def init_app(app: Flask) -> None:
    app.add_template_filter(tel_href)
    app.add_template_filter(shanghai_time)
    app.context_processor(lambda: {"messages": messages})
