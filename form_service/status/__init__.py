"""Blueprint `status`: look up an application's progress by reference and phone digits."""

from flask import Blueprint

bp = Blueprint("status", __name__, template_folder="templates")

from form_service.status import views  # noqa: E402,F401  (routes register on import)
