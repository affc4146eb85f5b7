"""Back office for cooperative staff and the campaign team, under /admin/."""
from flask import Blueprint

from . import access

bp = Blueprint("admin", __name__, url_prefix="/admin")
bp.record_once(lambda state: access.init_app(state.app))
# Guarded once, here: every view needs a live session unless marked public.
bp.before_request(access.login_required)
bp.after_request(access.no_store)
bp.context_processor(lambda: {"current_user": access.current_user})

from . import account_views, assisted_views, bpjs_views, cover_views, export_views, link_views, paper_views, rat_views, views  # noqa: E402,F401  (registers the routes)
