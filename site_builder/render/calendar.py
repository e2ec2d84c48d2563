"""iCalendar files: one per job fair, and one feed of the fairs still to come."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from urllib.parse import urlsplit

from icalendar import Calendar, Event, Timezone, TimezoneStandard

from site_builder.catalog import Catalogue, JobFair
from site_builder.catalog.clock import SHANGHAI
from site_builder.render import paths
from site_builder.render.text import plain_text

PRODID = "-//上海市总工会//技能培训促就业行动//ZH"


def _shanghai_zone() -> Timezone:
    """Return the VTIMEZONE once: Shanghai has kept +08:00 without summer time since 1991."""
    zone = Timezone()
    zone.add("tzid", SHANGHAI.key)
    standard = TimezoneStandard()
    standard.add("dtstart", datetime(1970, 1, 1))
    standard.add("tzoffsetfrom", datetime(2011, 1, 1, tzinfo=SHANGHAI).utcoffset())
    standard.add("tzoffsetto", datetime(2011, 1, 1, tzinfo=SHANGHAI).utcoffset())
    standard.add("tzname", "CST")
    zone.add_component(standard)
    return zone


_ZONE = _shanghai_zone()


def _event(f: JobFair, *, catalogue: Catalogue, site_url: str, stamp: datetime) -> Event:
    start = datetime.combine(f.date, time.fromisoformat(f.start_time), tzinfo=SHANGHAI)
    end = datetime.combine(f.date, time.fromisoformat(f.end_time), tzinfo=SHANGHAI)
    lines = [plain_text(f.description)] if f.description else []
    if f.bring:
        lines.append("请携带:" + "、".join(plain_text(item) for item in f.bring))
    if f.transport:
        lines.append("交通:" + plain_text(f.transport))
    if f.phone:
        lines.append(f"咨询电话:{f.phone}")
    organisers = [f"{role}:{plain_text(name)}" for role, name in f.organisers]
    lines.append(";".join(organisers) or "主办:" + plain_text(catalogue.units[f.unit].name))
    lines.append("详情:" + paths.absolute(site_url, paths.job_fair(f.id)))
    event = Event()
    event.add("uid", f"{f.id}@{urlsplit(site_url).hostname or 'localhost'}")
    event.add("dtstamp", stamp)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("summary", plain_text(f.title))
    event.add("location", f"{plain_text(f.venue)}({plain_text(f.address)})")
    event.add("description", "\n".join(lines))
    event.add("url", paths.absolute(site_url, paths.job_fair(f.id)))
    return event


def calendar(
    fairs: list[JobFair], *, name: str, catalogue: Catalogue, site_url: str, today: date
) -> bytes:
    """Return an .ics file holding `fairs`; stamped with the build date so rebuilds are identical."""
    head, tail = _frame(name)
    return head + b"".join(_event_text(f, catalogue, site_url, today) for f in fairs) + tail


def calendars(catalogue: Catalogue, *, today: date, site_url: str) -> dict[str, bytes]:
    """Return one .ics per fair and the feed of upcoming fairs, each event serialised once."""
    events = {
        f.id: _event_text(f, catalogue, site_url, today) for f in catalogue.job_fairs.values()
    }
    # A file for one fair is imported, not subscribed to, so it needs no calendar name.
    head, tail = _frame("")
    files = {paths.job_fair_calendar(i): head + event + tail for i, event in events.items()}
    upcoming = [events[f.id] for f in catalogue.job_fairs.values() if f.is_upcoming_on(today)]
    feed_head, feed_tail = _frame("即将举办的招聘会")
    files[paths.UPCOMING_FEED] = feed_head + b"".join(upcoming) + feed_tail
    return files


def _event_text(f: JobFair, catalogue: Catalogue, site_url: str, today: date) -> bytes:
    stamp = datetime.combine(today, time(0, 0), tzinfo=UTC)
    return _event(f, catalogue=catalogue, site_url=site_url, stamp=stamp).to_ical()


def _frame(name: str) -> tuple[bytes, bytes]:
    """Return the VCALENDAR lines before and after its events, with the Shanghai VTIMEZONE."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if name:
        cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", SHANGHAI.key)
    cal.add_component(_ZONE)
    head, tail = cal.to_ical().rsplit(b"END:VCALENDAR", 1)
    return head, b"END:VCALENDAR" + tail
