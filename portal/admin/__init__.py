"""Back office for cooperative staff and the campaign team, under /admin/."""
from flask import Blueprint

from ..staff import access

__all__ = ["bp"]

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.record_once(lambda state: access.init_app(state.app))
# Guarded once, here: every view needs a live session unless marked public.
bp.before_request(access.login_required)
bp.after_request(access.no_store)
bp.context_processor(lambda: {"current_user": access.current_user})

# The views of each feature, in a folder named as the feature's package.
from . import bpjs, followup, outreach, rat, staff  # noqa: E402,F401  (registers the routes)
