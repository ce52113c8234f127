"""CONTRACT §11: GET /api/v1/health/ answers 200 when the database, the cache and the broker answer, else 503
naming the part that does not (a real Redis: tests/redis_server.py)."""

from unittest import mock

from django.db import OperationalError, connections
from django.test import Client

URL = "/api/v1/health/"


def health():
    response = Client().get(URL)
    assert response["Cache-Control"] == "no-store"
    return response.status_code, response.json()


def test_one_process_alone_is_well_with_its_own_cache_and_no_broker(db, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    settings.BROKER_URL = ""
    assert health() == (200, {"database": "ok", "cache": "local", "broker": "none"})


def test_with_redis_for_the_cache_and_the_broker_every_part_is_ok(db, shared_cache, settings):
    settings.BROKER_URL = shared_cache.url(1)
    assert health() == (200, {"database": "ok", "cache": "ok", "broker": "ok"})


def test_a_shared_cache_that_does_not_answer_is_503_cache(db, shared_cache, settings):
    settings.BROKER_URL = ""
    shared_cache.stop()
    assert health() == (503, {"database": "ok", "cache": "error", "broker": "none", "failing": ["cache"]})


def test_a_broker_that_does_not_answer_is_503_broker(db, redis_server, settings):
    settings.BROKER_URL = redis_server.url(1)
    redis_server.stop()
    assert health() == (503, {"database": "ok", "cache": "local", "broker": "error", "failing": ["broker"]})


def test_a_database_that_does_not_answer_is_503_database(db, settings):
    settings.BROKER_URL = ""
    with mock.patch.object(connections["default"], "cursor", side_effect=OperationalError("no database")):
        answer = health()
    assert answer == (503, {"database": "error", "cache": "local", "broker": "none", "failing": ["database"]})


def test_health_is_public_and_reads_no_credentials(db, settings):
    settings.BROKER_URL = ""
    response = Client().get(URL, HTTP_AUTHORIZATION="Token not-a-token")
    assert response.status_code == 200
    assert Client().post(URL).status_code == 405
