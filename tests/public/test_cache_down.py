"""When the shared cache (Redis, KP_CACHE_URL) stops answering: the public pages are built without it, right but
slower, and say so (X-Cache: BYPASS); the voter lookup, whose limit the cache keeps, is refused with 503 and
Retry-After rather than let through uncounted; the log says so once, not on every request."""

import logging

import pytest
from django.test import Client, override_settings

# A Redis address where nothing listens: every call fails at once (connection refused).
DEAD_REDIS = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
    }
}
CONTEST = "/en/public/world-2021/contests/XA/"


@pytest.fixture
def redis_down():
    with override_settings(CACHES=DEAD_REDIS):
        yield


def test_a_public_page_is_built_without_the_cache_when_redis_is_down(counted, redis_down, caplog):
    with caplog.at_level(logging.WARNING, logger="core.cache"):
        first = Client().get(CONTEST)
        second = Client().get(CONTEST)
    assert (first.status_code, first["X-Cache"]) == (200, "BYPASS")
    assert second.status_code == 200 and second.content == first.content
    said = [r for r in caplog.records if "does not answer" in r.getMessage()]
    assert len(said) == 1  # once a minute, not once a request
