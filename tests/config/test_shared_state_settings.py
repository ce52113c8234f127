"""Issue 13, point 2: KP_CACHE_URL picks Django's Redis cache; the variables it replaces stop start-up with a word."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"
VARIABLES = (
    "KP_CACHE_URL",
    "KP_BROKER_URL",
    "KP_TRUSTED_PROXIES",
    "KP_CACHE_BACKEND",
    "KP_CACHE_LOCATION",
    "KP_VOTER_LOOKUP_CLIENT_HEADER",
)


def settings_with(monkeypatch, **env: str) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


def test_without_a_cache_url_each_process_has_its_own_cache(monkeypatch):
    values = settings_with(monkeypatch)
    assert values["CACHES"]["default"]["BACKEND"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["TRUSTED_PROXIES"] == 0 and values["BROKER_URL"] == ""


def test_a_cache_url_gives_every_process_one_cache_in_redis(monkeypatch):
    cache = settings_with(monkeypatch, KP_CACHE_URL="redis://cache.internal:6379/2")["CACHES"]["default"]
    assert cache["BACKEND"] == "django.core.cache.backends.redis.RedisCache"
    assert cache["LOCATION"] == "redis://cache.internal:6379/2"


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"KP_CACHE_URL": "memcached://cache:11211"}, "KP_CACHE_URL must be a Redis URL"),
        ({"KP_BROKER_URL": "amqp://broker"}, "KP_BROKER_URL must be a Redis URL"),
        ({"KP_TRUSTED_PROXIES": "-1"}, "KP_TRUSTED_PROXIES must be 0"),
        ({"KP_TRUSTED_PROXIES": "nginx"}, "KP_TRUSTED_PROXIES must be an integer"),
        ({"KP_CACHE_BACKEND": "django.core.cache.backends.redis.RedisCache"}, "set KP_CACHE_URL"),
        ({"KP_VOTER_LOOKUP_CLIENT_HEADER": "HTTP_X_REAL_IP"}, "set KP_TRUSTED_PROXIES"),
    ],
)
def test_a_bad_or_replaced_variable_stops_start_up_with_its_name(monkeypatch, env, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        settings_with(monkeypatch, **env)
