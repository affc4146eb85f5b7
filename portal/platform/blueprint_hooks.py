"""An extension's app-wide request hooks, run only on the blueprints that use it."""


def _owned_by(owner):
    """A hook an extension registered: one of its bound methods, or a partial over one."""
    def test(hook) -> bool:
        return getattr(hook, "__self__", None) is owner or owner in getattr(hook, "args", ())
    return test


def confine(app, owner, blueprints: tuple[str, ...], drop_before: bool = False) -> None:
    """Run an extension's app-wide request hooks only on the blueprints that use it.

    Flask-Login and Flask-Limiter hook into every request; the built site's
    files never reach Flask, but /healthz and error pages did, and paid for
    reading the session (Flask-Login) and the limiter's bookkeeping. With
    ``drop_before`` the extension's before-request hook goes entirely (the
    limiter's checks app-wide limits, and we set none: every limit is a route
    decorator, which checks by itself)."""
    mine = _owned_by(owner)
    if drop_before and (app.config.get("RATELIMIT_DEFAULT") or app.config.get("RATELIMIT_APPLICATION")):
        raise RuntimeError("app-wide rate limits need the limiter's before-request check")
    for registry in (app.before_request_funcs, app.after_request_funcs, app.teardown_request_funcs):
        hooks = [hook for hook in registry.get(None, []) if mine(hook)]
        registry[None] = [hook for hook in registry.get(None, []) if not mine(hook)]
        if registry is app.before_request_funcs and drop_before:
            continue
        for name in blueprints:
            registry.setdefault(name, []).extend(hooks)
