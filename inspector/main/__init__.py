"""The home page, the language switch and the web app manifest."""

from flask import Blueprint

bp = Blueprint("main", __name__)

from inspector.main import views  # noqa: E402,F401  (views attach to bp)
