"""Whether the parts a web process needs answer (CONTRACT §11): the database, the cache, the broker.

Each check asks its part one small question and says "ok", or "error" when the part does not answer (the cause
goes to the log, never to the answer). A cache of the process's own is "local": it cannot fail, and it is not
shared. No broker configured is "none": background work then runs in the web process.
"""

import logging
import uuid
from typing import Literal

import redis
from django.conf import settings
from django.core.cache import caches
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.db import DatabaseError, connection

log = logging.getLogger(__name__)

OK, ERROR, LOCAL, NONE = "ok", "error", "local", "none"
Part = Literal["database", "cache", "broker"]
PARTS: tuple[Part, ...] = ("database", "cache", "broker")
# Seconds a check waits for Redis to connect or answer: a load balancer's probe must not hang on a dead host.
REDIS_TIMEOUT = 2


def database_state() -> str:
    """ "ok" when the database answers `SELECT 1`."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as exc:
        log.warning("health: the database does not answer: %s", exc)
        return ERROR
    return OK


def cache_state() -> str:
    """ "ok" when a value written to the shared cache reads back; "local" for a cache of this process only."""
    backend = caches["default"]
    if isinstance(backend, LocMemCache | DummyCache):
        return LOCAL
    key, value = f"kp:health:{uuid.uuid4().hex}", uuid.uuid4().hex
    try:
        backend.set(key, value, timeout=10)
        answer = backend.get(key)
        backend.delete(key)
    except Exception as exc:  # noqa: BLE001 - whatever the backend raises, the cache is not usable
        log.warning("health: the cache does not answer: %s", exc)
        return ERROR
    if answer != value:
        log.warning("health: the cache did not give back what was written to it")
        return ERROR
    return OK


def broker_state() -> str:
    """ "ok" when the broker's Redis answers PING; "none" while no broker is configured (KP_BROKER_URL)."""
    if not settings.BROKER_URL:
        return NONE
    client = redis.Redis.from_url(
        settings.BROKER_URL, socket_connect_timeout=REDIS_TIMEOUT, socket_timeout=REDIS_TIMEOUT
    )
    try:
        answered = client.ping()
    except redis.RedisError as exc:
        log.warning("health: the broker does not answer: %s", exc)
        return ERROR
    finally:
        client.close()
    return OK if answered else ERROR


def health() -> dict[Part, str]:
    """Every part's state, in the order of CONTRACT §11."""
    return {"database": database_state(), "cache": cache_state(), "broker": broker_state()}


def failing(states: dict[Part, str]) -> list[Part]:
    """The parts that do not answer."""
    return [part for part in PARTS if states[part] == ERROR]
