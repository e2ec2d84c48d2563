"""Blueprint `api`: JSON for the static course pages, and the health check."""

from flask import Blueprint

bp = Blueprint("api", __name__)

from form_service.api import views  # noqa: E402,F401  (routes register on import)
