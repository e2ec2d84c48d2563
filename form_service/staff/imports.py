"""Imports in the console: upload a sign-up list or a results list, check it, store it.

One call each into `form_service.imports` (the code `portal import` runs). 检查 (a dry run)
shows what would be added, skipped and recorded; 导入 checks the whole file again and stores
it, or lists every problem and stores nothing. Unit staff import into their own unit only;
city staff choose the unit (or the whole city). Files up to IMPORT_BYTES are accepted here
(the rest of the app keeps its 64 KiB limit).
"""

from __future__ import annotations

import io
from typing import Any

from flask import render_template, request, send_file
from flask.typing import ResponseReturnValue

from form_service.imports.plan import ImportPlan
from form_service.imports.problems import ImportRefused
from form_service.imports.results import import_results
from form_service.imports.signup_import import import_signups
from form_service.imports.template import results_template, signup_template
from form_service.staff import acting, bp, me
from form_service.staff import forms as f
from form_service.web import services
from form_service.web.services import catalogue, store
from site_builder.catalog import today

IMPORT_BYTES = 8 * 1024 * 1024
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
KINDS = {"signups": "报名名单(班级名单)", "results": "结果名单(鉴定证书、就业、创业)"}
UPLOADS = frozenset({"staff.import_upload"})


@bp.url_value_preprocessor
def _allow_files(endpoint: str | None, _values: dict[str, Any] | None) -> None:
    # Runs before every before_request hook, so also before the CSRF check reads the body.
    if endpoint in UPLOADS:
        request.max_content_length = IMPORT_BYTES


def _units() -> list[tuple[str, str]]:
    cat = catalogue()
    if me().unit_id:
        return [(me().unit_id or "", cat.units[me().unit_id or ""].name)]
    return [(u.id, u.name) for u in cat.active_districts() + cat.industry_unions()]


def _page(
    *,
    kind: str = "signups",
    made: ImportPlan | None = None,
    problems: list[str] | None = None,
    errors: f.Errors | None = None,
    form: Any = None,
    status: int = 200,
) -> ResponseReturnValue:
    page = render_template(
        "staff/imports.html",
        kinds=KINDS,
        kind=kind,
        units=_units(),
        made=made,
        problems=problems or [],
        errors=errors or [],
        form=form or {},
    )
    return page, status


@bp.get("/imports/")
def imports_page() -> ResponseReturnValue:
    """Show the two uploads and the templates."""
    return _page()


@bp.get("/imports/template/<any(signups, results):kind>.xlsx")
def import_template(kind: str) -> ResponseReturnValue:
    """Download the XLSX template of a sign-up list or a results list."""
    cat = catalogue()
    data = (
        signup_template(cat, unit_id=me().unit_id) if kind == "signups" else results_template(cat)
    )
    name = "报名名单模板.xlsx" if kind == "signups" else "结果名单模板.xlsx"
    return send_file(io.BytesIO(data), mimetype=XLSX, as_attachment=True, download_name=name)


@bp.post("/imports/<any(signups, results):kind>")
def import_upload(kind: str) -> ResponseReturnValue:
    """Check (dry run) or import an uploaded file; every problem at once, nothing stored then."""
    errors: f.Errors = []
    allowed = [u for u, _ in _units()]
    unit_id = f.choice(
        request.form, "unit", "单位", errors, allowed=allowed, required=bool(me().unit_id)
    )
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        errors.append(("file", "请选择要上传的 XLSX 或 CSV 文件"))
    if errors or upload is None:
        return _page(kind=kind, errors=errors, form=request.form, status=400)
    name = (upload.filename or "").replace("\\", "/").rsplit("/", 1)[-1][:100] or "名单"
    dry_run = request.form.get("action") != "import"
    common: dict[str, Any] = {
        "file": name,
        "data": upload.read(),
        "catalogue": catalogue(),
        "cipher": services.cipher(),
        "unit_id": unit_id or None,
        "by": acting(),
        "today": today(),
        "dry_run": dry_run,
    }
    try:
        if kind == "signups":
            made = import_signups(
                store(), applied_only=request.form.get("applied_only") == "1", **common
            )
        else:
            made = import_results(store(), **common)
    except ImportRefused as refused:
        problems = [str(p) for p in refused.problems]
        return _page(kind=kind, problems=problems, form=request.form, status=400)
    return _page(kind=kind, made=made, form=request.form if dry_run else {})
