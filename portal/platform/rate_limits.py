"""The form's rate limit, counted per client address at a fraction of the
decorator's cost, and the in-process counters tests and single workers use.

Importing this module registers ``memory+swept://`` (and, through
``shared_limits``, ``file+shared://``) with ``limits``: the factory imports
it before the limiter is bound."""
import threading
from functools import cache, wraps

from flask import current_app
from flask_limiter.util import get_remote_address
from limits import parse_many
from limits.storage import MemoryStorage
from werkzeug.exceptions import TooManyRequests

from ..extensions import limiter
from . import shared_limits  # noqa: F401 (registers file+shared:// with limits)


class SweptMemoryStorage(MemoryStorage):
    """limits' in-process counters (``memory+swept://``, counted per worker:
    each test's app), with expired ones swept once a second instead of every 10 ms.

    A counter past its window is dropped when it is next read (MemoryStorage.get),
    so limits stay exact; the sweep only frees addresses that stopped coming.
    Under load the stock storage started a new thread every 10 ms in every
    worker, a twentieth of a submission's CPU (bench/RESULTS.md)."""

    STORAGE_SCHEME = ["memory+swept"]
    SWEEP_SECONDS = 1.0

    def _MemoryStorage__schedule_expiry(self) -> None:  # the stock method, with a longer wait
        if not self.timer.is_alive():
            self.timer = threading.Timer(self.SWEEP_SECONDS, self._MemoryStorage__expire_events)
            self.timer.daemon = True
            self.timer.start()


@cache
def _parsed(limits_text: str) -> tuple:
    return tuple(parse_many(limits_text))


def limit_per_address(config_key: str):
    """A view decorator doing what ``@limiter.limit(lambda: config[config_key])``
    does, per client address: the limiter's storage, strategy and counters
    (shared through Redis in production), a refusal as 429 with Retry-After.
    For the form's POST: Flask-Limiter resolves every limit, exemption and
    scope on each request, a fifteenth of a submission (bench/RESULTS.md)."""
    def decorate(view):
        scope = f"{view.__module__}.{view.__qualname__}"

        @wraps(view)
        def limited(*args, **kwargs):
            if limiter.enabled:
                address = get_remote_address()
                for item in _parsed(current_app.config[config_key]):
                    if not limiter.limiter.hit(item, scope, address):
                        raise TooManyRequests(retry_after=item.get_expiry())
            return view(*args, **kwargs)
        return limited
    return decorate
