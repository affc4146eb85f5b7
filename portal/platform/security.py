"""Security headers for every response, portal and static site, in one place.

Nothing is loaded from another host, so the policies allow 'self' only
(https://owasp.org/www-project-secure-headers/).
"""
from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

COMMON = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), interest-cohort=()",
}

# Portal pages need no script at all. Their inline stylesheets (critical CSS,
# static_site.inline_styles) are allowed by hash.
PORTAL_CSP = (
    "default-src 'self'; script-src 'self'; style-src {style_src}; img-src 'self' data:; "
    "font-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; "
    "object-src 'none'"
)
# The site: same-origin only; Material's few inline scripts are allowed by hash
# (see static_site.inline_script_hashes); its inline style attributes need
# 'unsafe-inline' for styles, which cannot run code.
SITE_CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; worker-src 'self' blob:; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'self'; object-src 'none'"
)
HSTS = "max-age=31536000; includeSubDomains"


def _production(app) -> bool:
    return app.config.get("ENV_NAME") == "production"


def static_headers(app, script_hashes: list[str]):
    """A WhiteNoise hook that puts the same headers on files of the built site."""
    production = _production(app)
    csp = SITE_CSP.format(hashes=" ".join(script_hashes))

    def add(headers, path, url) -> None:
        for name, value in COMMON.items():
            headers[name] = value
        # The policy governs documents; on CSS, JS and images it is dead weight
        # on every request (SVG can carry script, so it keeps the policy).
        if path.endswith((".html", ".svg")):
            headers["Content-Security-Policy"] = csp
        if production:
            headers["Strict-Transport-Security"] = HSTS

    return add


def portal_csp(app) -> str:
    """The portal's policy, with the hashes of its inline stylesheets."""
    return PORTAL_CSP.format(style_src=" ".join(["'self'", *app.config.get("PORTAL_STYLE_HASHES", ())]))


class PortalHeaders:
    """WSGI middleware around the Flask app that adds the headers to every
    portal response (pages, errors, files, redirects) unless the view set one
    of its own. Done at the WSGI level, where the headers are a plain list,
    because every request pays for it: Werkzeug's Headers.setdefault, eight
    times a response, cost more than the rest of a bare request's middleware.
    The built site's files never pass here (WhiteNoise serves them, with
    static_headers)."""

    def __init__(self, wsgi_app, headers: list[tuple[str, str]]):
        self.wsgi_app, self.headers = wsgi_app, headers

    def __call__(self, environ, start_response):
        def add_headers(status, headers, exc_info=None):
            present = {name.lower() for name, _ in headers}
            headers.extend(h for h in self.headers if h[0].lower() not in present)
            if status[0] == "3":
                headers[:] = [(name, on_this_host(value, environ) if name.lower() == "location" else value)
                              for name, value in headers]
            return start_response(status, headers, exc_info)

        return self.wsgi_app(environ, add_headers)


def on_this_host(location: str, environ) -> str:
    """A redirect's target without the request's own host: Werkzeug builds
    absolute ones (the slash redirect of /daftar to /daftar/) from the Host
    header, which anyone can set. A path on this host is what it means."""
    parts = urlsplit(location)
    if parts.netloc and parts.netloc.lower() == (environ.get("HTTP_HOST") or "").lower():
        return urlunsplit(("", "", parts.path or "/", parts.query, parts.fragment))
    return location


def init_app(app) -> None:
    """Wrap the portal; call after static_site.init_app has set the style hashes
    and before WhiteNoise wraps the result."""
    # Portal pages are made for one person (a form with its token, a receipt,
    # a back-office list): no cache, shared or private, keeps them, unless a view says otherwise.
    headers = [*COMMON.items(), ("Content-Security-Policy", portal_csp(app)), ("Cache-Control", "no-store")]
    if _production(app):
        headers.append(("Strict-Transport-Security", HSTS))
    app.wsgi_app = PortalHeaders(app.wsgi_app, headers)
