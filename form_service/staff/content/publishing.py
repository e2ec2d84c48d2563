"""「发布网站」 for every member of staff, what changed since the last publish, and the preview."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from flask import abort, render_template, send_from_directory
from flask.typing import ResponseReturnValue

from form_service.content import history, publishing
from form_service.staff import bp
from form_service.staff.content import common
from form_service.web.services import store
from form_service.web.site_files import locate


def _page(result: publishing.Published | None, *, preview: bool = False) -> ResponseReturnValue:
    with store().read() as conn:
        pending = history.pending(
            conn, content_dir=common.content_dir(), site_dir=common.site_dir()
        )
        recent = history.publishes(conn)
    page = render_template(
        "staff/publish.html",
        result=result,
        preview=preview,
        published_at=datetime.now(UTC) if result and not preview and result.build_id else None,
        problems=result.problems if result else [],
        busy=bool(result and result.busy),
        pending=pending,
        recent=recent,
        actions=history.ACTIONS,
        preview_ready=(publishing.preview_dir(common.site_dir()) / "index.html").is_file(),
    )
    return page, 409 if result and result.busy else 200


@bp.route("/publish", methods=["GET", "POST"])
def publish() -> ResponseReturnValue:
    """List what a publish would change (GET); check and publish the whole site (POST)."""
    from flask import request

    if request.method == "GET":
        return _page(None)
    result = publishing.publish(store(), content_dir=common.content_dir(),
                                site_dir=common.site_dir(), who=common.who())  # fmt: skip
    return _page(result)


@bp.post("/publish/preview")
def preview_build() -> ResponseReturnValue:
    """Build the drafts into the preview site (the live site is not touched)."""
    result = publishing.preview(store(), content_dir=common.content_dir(),
                                site_dir=common.site_dir(), who=common.who())  # fmt: skip
    return _page(result, preview=True)


@bp.get("/preview/", defaults={"path": ""})
@bp.get("/preview/<path:path>")
def preview_page(path: str) -> ResponseReturnValue:
    """Serve a file of the preview site to signed-in staff."""
    root = publishing.preview_dir(common.site_dir())
    found = locate(root, path, mounted_at="/staff/preview/")
    if found is None:
        abort(404)
    if isinstance(found, Path):
        return send_from_directory(root, str(found.relative_to(root)))
    return found
