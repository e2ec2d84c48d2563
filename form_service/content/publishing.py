"""Publish the site from the content console (any staff member), and build previews aside.

One publish at a time across processes (`only_build`: a second one is told to wait, not
queued). A publish writes its audit record and a `content_publishes` row naming the last save it
includes, so the publish page can list what changed since; `portal build` of the configured
site (the daily timer) records itself the same way. Previews are built by the same
builder into `<site>.preview`, never touching the live site.
"""

from __future__ import annotations

import fcntl
import logging
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from form_service.accounts import audit
from form_service.accounts.audit import Actor
from form_service.content import history
from form_service.content.saves import Who
from form_service.store.engine import Store
from site_builder import published
from site_builder.catalog import Catalogue, ContentError

log = logging.getLogger(__name__)
MAX_PROBLEMS = 200
BUSY = "另一次发布正在进行,请等它完成后再试。"


@dataclass
class Published:
    """The result of a publish or preview: `busy`, problems (as `path:line: message`) or a build."""

    busy: bool = False
    problems: list[str] = field(default_factory=list)
    build_id: str = ""
    courses: int = 0
    job_fairs: int = 0

    @classmethod
    def live(cls, built: Catalogue, site_dir: Path) -> Published:
        """The result of a build of `built` just published into `site_dir`."""
        stamp = published.live_build(site_dir)
        return cls(build_id=stamp.id if stamp else "", courses=len(built.courses),
                   job_fairs=len(built.job_fairs))  # fmt: skip

    @classmethod
    def refused(cls, failed: ContentError) -> Published:
        """The result of a build the content check stopped: every problem as a line."""
        return cls(problems=[str(p) for p in failed.problems])


def preview_dir(site_dir: Path) -> Path:
    """Return where previews are published: beside the live site, never inside it."""
    return site_dir.parent / f"{site_dir.name}.preview"


@contextmanager
def only_build(site_dir: Path) -> Iterator[bool]:
    """Yield True while holding the console's publish lock, False if a publish is running."""
    folder = site_dir.parent / f"{site_dir.name}.build"
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / "console.lock", "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _build(content_dir: Path, target: Path) -> Published:
    from site_builder.publish import build_and_publish  # MkDocs loads only when building

    try:
        built = build_and_publish(content_dir=content_dir, site_dir=target)
    except ContentError as failed:
        return Published.refused(failed)
    except Exception:  # the builder failed on its own; what was published is untouched
        ticket = uuid.uuid4().hex[:8]
        log.exception("site build crashed, ticket %s", ticket)
        return Published(
            problems=[
                f"生成网站时程序出错(错误编号 {ticket}),原网站没有变化。请把错误编号告诉技术人员。"
            ]
        )
    return Published.live(built, target)


def publish(store: Store, *, content_dir: Path, site_dir: Path, who: Who) -> Published:
    """Check and publish the whole content as the live site (one publish at a time)."""
    with only_build(site_dir) as mine:
        if not mine:
            return Published(busy=True)
        result = _build(content_dir, site_dir)
        record(store, result, who=who)
    return result


def record(store: Store, result: Published, *, who: Who) -> None:
    """Audit a publish and, when it went out, note it among the publishes (also `portal build`)."""
    with store.write() as conn:
        if result.problems:
            detail = {"problems": result.problems[:MAX_PROBLEMS], "count": len(result.problems)}
            audit.record(conn, by=Actor(who.username, who.ip), action="publish_failed", unit_id=who.unit_id, detail=detail)  # fmt: skip
            return
        history.record_publish(conn, actor=who.username, build_id=result.build_id)
        detail = {"courses": result.courses, "job_fairs": result.job_fairs,
                  "build": result.build_id}  # fmt: skip
        audit.record(conn, by=Actor(who.username, who.ip), action="publish", unit_id=who.unit_id, detail=detail)  # fmt: skip


def preview(store: Store, *, content_dir: Path, site_dir: Path, who: Who) -> Published:
    """Build the content as it would be published into the preview folder (audited)."""
    with only_build(site_dir) as mine:
        if not mine:
            return Published(busy=True)
        result = _build(content_dir, preview_dir(site_dir))
    with store.write() as conn:
        detail = {"count": len(result.problems), "build": result.build_id}
        audit.record(conn, by=Actor(who.username, who.ip), action="content_preview", unit_id=who.unit_id, detail=detail)  # fmt: skip
    return result
