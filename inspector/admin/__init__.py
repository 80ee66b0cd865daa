"""Admin screens: users, departments and sites."""

from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from inspector.admin import views  # noqa: E402,F401  (views attach to bp)
