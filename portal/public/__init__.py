"""Public blueprint: the interest and consent form and its confirmation."""
from flask import Blueprint

bp = Blueprint("public", __name__)

from . import bpjs_views, cover_views, views  # noqa: E402,F401  (registers the routes)
