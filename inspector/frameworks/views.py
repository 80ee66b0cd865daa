"""Framework screens: import and edit (admins), the evaluation and the evidence binder."""

from flask import Blueprint

bp = Blueprint("frameworks", __name__, url_prefix="/frameworks")
