"""Blueprint `apply`: the four application flows, check answers, confirmation."""

from flask import Blueprint

bp = Blueprint("apply", __name__, url_prefix="/apply", template_folder="templates")

from form_service.apply import views  # noqa: E402,F401  (routes register on import)
