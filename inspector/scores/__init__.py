"""Score sheets (评比通报): department roll-ups, rankings, trends, hot spots, exports."""

from flask import Blueprint

bp = Blueprint("scores", __name__, url_prefix="/scores")

from inspector.scores import views  # noqa: E402,F401  (views attach to bp)
