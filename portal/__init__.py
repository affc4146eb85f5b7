"""Kerja Keras Bebas Cemas portal: the interest and consent form, the back
office, and the static information site, served by one WSGI application."""
from __future__ import annotations

import os

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from . import cli, errors, filters, models  # noqa: F401 (models: tables for Alembic)
from .platform import (  # noqa: F401 (database, rate_limits: their listeners and storages register on import)
    blueprint_hooks, database, rate_limits, request_limits, security, static_site, status, uploads,
)
from .bpjs import vault
from .consent import proof
from .admin import bp as admin_bp
from .config import CONFIGS, ROOT, engine_options
from .extensions import compress, csrf, db, limiter, migrate
from .public import bp as public_bp


def create_app(overrides: dict | None = None) -> Flask:
    """Assemble the application: config, extensions, blueprints, handlers, CLI."""
    overrides = overrides or {}
    env = overrides.get("ENV_NAME") or os.environ.get("PORTAL_ENV", "development")
    if env not in CONFIGS:
        raise RuntimeError(f"PORTAL_ENV must be one of {', '.join(CONFIGS)}, not {env!r}")
    config = CONFIGS[env]

    app = Flask(__name__, static_folder=None)
    app.config.from_object(config)
    app.config["SECRET_KEY"] = config.secret_key()
    app.config["CONSENT_SIGNING_KEY"] = config.signing_key()
    app.config.update(config.nik_keys())
    app.config.update(overrides)
    config.check(app.config)
    app.config["SQLALCHEMY_ENGINE_OPTIONS"] = engine_options(
        app.config["SQLALCHEMY_DATABASE_URI"], app.config["SQLALCHEMY_ENGINE_OPTIONS"])

    if app.config["PROXY_HOPS"]:
        # Behind a platform's proxy: trust its X-Forwarded-* so rate limits see
        # the member's address, not the proxy's.
        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    proof.init_app(app)
    vault.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(ROOT / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    blueprint_hooks.confine(app, limiter, ("public",), drop_before=True)
    compress.init_app(app)

    request_limits.init_app(app)
    app.register_blueprint(public_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(status.bp)
    errors.init_app(app)
    filters.init_app(app)
    uploads.init_app(app)
    cli.init_app(app)
    # WSGI layers, inside out: the portal's headers need the inline styles'
    # hashes; the built site's files are served before any of it runs.
    static_site.init_app(app)
    security.init_app(app)
    static_site.serve(app)
    return app
