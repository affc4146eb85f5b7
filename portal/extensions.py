"""Extensions, created unbound here and bound to the app in the factory.

What runs around them lives in ``portal.platform``: the database
connection's settings (``database``), the form's rate limit and the
counters' storages (``rate_limits``, ``shared_limits``), and the confining
of an extension's hooks to the blueprints that use it (``blueprint_hooks``)."""
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_migrate import Migrate
from flask_sqlalchemy import SQLAlchemy
from flask_wtf.csrf import CSRFProtect

db = SQLAlchemy()
compress = Compress()
migrate = Migrate()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])
# Staff sessions (portal.staff.access loads the user and binds it to /admin only).
login_manager = LoginManager()
# "basic" marks a session non-fresh when the browser's address changes; "strong"
# would log staff out on every mobile network hop.
login_manager.session_protection = "basic"
