"""What the shared cache may raise when Redis does not answer, and a quiet way to say so in the log.

With `KP_CACHE_URL` the cache is Redis on another machine. If it stops answering, a page that only *reads through*
the cache (the public site) is built without it, slower but right; what the cache *guards* (the lookup's limit)
refuses rather than lets everyone through. Either way the log says so, at most once a minute per process, and
`/api/v1/health/` names the cache as the part that fails.
"""

import logging
import time

import redis

log = logging.getLogger("core.cache")

# Django's RedisCache lets redis-py's errors through; a socket that cannot connect may surface as OSError.
CACHE_ERRORS: tuple[type[BaseException], ...] = (redis.exceptions.RedisError, OSError)

_last_said: dict[str, float] = {}
QUIET_SECONDS = 60


def cache_failed(what: str, exc: BaseException) -> None:
    """Log that the cache failed for `what`, once a minute per `what` and process (a dead Redis must not flood)."""
    now = time.monotonic()
    if now - _last_said.get(what, -QUIET_SECONDS) >= QUIET_SECONDS:
        _last_said[what] = now
        log.warning("the shared cache does not answer (%s): %s: %s", what, type(exc).__name__, exc)
