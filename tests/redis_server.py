"""A real Redis for the tests of shared state (docs/deploy.md "Shared state"), and a second web process.

`redis_server` starts Debian's `redis-server` on a free port of 127.0.0.1, in a temporary folder, with nothing
written to disk, and stops it after the test. Without `redis-server` the test is skipped, unless KP_REQUIRE_REDIS is
set (CI, `.ci/run`): then it fails. `shared_cache` points Django's cache at it, as KP_CACHE_URL does.

`in_another_process(work)` runs `work` as a second web process would: in a thread of its own, which Django gives
its own cache connection (its own Redis connection pool) and its own database connection, and nothing of the
calling request's state. Tests that use it need the `transactional_db` fixture, so the other connection sees the
data.
"""

import os
import shutil
import socket
import subprocess
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest
import redis
from django.db import connections

T = TypeVar("T")
START_TIMEOUT = 10  # seconds for redis-server to answer PING: a bound, not an expectation


@dataclass
class RedisServer:
    port: int
    folder: Path
    process: subprocess.Popen[bytes] | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def client(self, db: int = 0) -> redis.Redis:
        return redis.Redis.from_url(self.url(db), socket_connect_timeout=1, socket_timeout=1)

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - our own arguments
            [
                shutil.which("redis-server") or "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + START_TIMEOUT
        while True:
            try:
                if self.client().ping():
                    return
            except redis.ConnectionError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError(f"redis-server did not start on port {self.port}") from None
                time.sleep(0.02)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def redis_server(tmp_path) -> Iterator[RedisServer]:
    if shutil.which("redis-server") is None:
        if os.environ.get("KP_REQUIRE_REDIS"):
            pytest.fail("redis-server is missing; install Debian's redis-server package")
        pytest.skip("redis-server is missing (apt-get install redis-server)")
    for attempt in range(3):  # another program may take the free port before redis-server does
        server = RedisServer(_free_port(), tmp_path)
        try:
            server.start()
            break
        except RuntimeError:
            if attempt == 2:
                raise
    yield server
    server.stop()


@pytest.fixture
def shared_cache(redis_server, settings) -> RedisServer:
    """Django's cache in the Redis of `redis_server`, as with KP_CACHE_URL set."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url(),
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
    return redis_server


def in_another_process(work: Callable[[], T]) -> T:
    """`work()` as another web process runs it: its own cache and database connections (see the module)."""

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
