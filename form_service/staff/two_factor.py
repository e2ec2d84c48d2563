"""Enrolling in the second factor: at the first sign-in in production, or from the console.

Both pages show the same QR code (the `otpauth://` URI, drawn inline: nothing is fetched from
another host), the secret for typing by hand, and a field for the first code. When that code is
right the account is enrolled and its ten recovery codes are shown, this once.
"""

from __future__ import annotations

from flask import render_template, request, url_for
from flask.typing import ResponseReturnValue

from form_service.accounts import two_factor
from form_service.accounts import users as accounts
from form_service.accounts.audit import Actor
from form_service.staff import acting, bp, client_ip, me
from form_service.staff.auth import finish_sign_in, pending_user, secret_box
from form_service.web.services import store


@bp.route("/login/enrol", methods=["GET", "POST"])
def login_enrol() -> ResponseReturnValue:
    """Production: an account without a second factor enrols before it sees any data."""
    user, next_path = pending_user("enrol")
    by = Actor(user.username, client_ip())
    return _enrol(user, by=by, first_sign_in=True, onward=next_path or url_for("staff.home"))


@bp.route("/two-factor", methods=["GET", "POST"])
def two_factor_page() -> ResponseReturnValue:
    """The signed-in person's second factor: its state, or enrolment when there is none."""
    user = me()
    with store().read() as conn:
        state = two_factor.state(conn, user_id=user.id)
    if state.enrolled:
        return render_template("staff/two_factor_status.html", state=state)
    return _enrol(user, by=acting(), first_sign_in=False, onward=url_for("staff.home"))


def _enrol(
    user: accounts.StaffUser, *, by: Actor, first_sign_in: bool, onward: str
) -> ResponseReturnValue:
    """Show the QR code (GET); check the first code and show the recovery codes (POST)."""
    with store().write() as conn:
        pending = two_factor.begin(conn, user=user, box=secret_box())
    if request.method == "GET":
        return _enrol_page(pending, user=user, first_sign_in=first_sign_in)
    try:
        with store().write() as conn:
            codes = two_factor.confirm(
                conn, user=user, box=secret_box(), code=request.form.get("code", "")[:40], by=by
            )
    except accounts.AccountError as refused:
        return _enrol_page(pending, user=user, first_sign_in=first_sign_in, error=refused.message)
    if first_sign_in:
        finish_sign_in(user, method="enrolled")
    return render_template("staff/two_factor_codes.html", codes=codes, onward=onward)


def _enrol_page(
    pending: two_factor.Pending, *, user: accounts.StaffUser, first_sign_in: bool, error: str = ""
) -> ResponseReturnValue:
    return render_template(
        "staff/two_factor_enrol.html",
        pending=pending,
        username=user.username,
        first_sign_in=first_sign_in,
        action=url_for("staff.login_enrol" if first_sign_in else "staff.two_factor_page"),
        error=error,
    )
