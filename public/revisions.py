"""The public counters of each election, kept in every server process and told of changes by PostgreSQL.

Every public answer is keyed on an election's counters (`cache.Revision`). Reading them costs a query per
request, more than the rest of a cached answer. So each process keeps them in memory, and a thread of its
own LISTENs on one channel: `public_changed` (results/publication/counters.py) NOTIFYs it in the same transaction as
the change, so every process forgets the counters the moment the change commits, and reads them again on
its next request. Nothing here is a second source of truth: without PostgreSQL, inside a transaction
(tests, a request that changes data), or while the listener is not connected, every request reads the
counters from the database as before.
"""

import logging
import threading
from typing import Any

from django.db import connection

from results.publication.counters import CHANNEL

log = logging.getLogger(__name__)


class _Listener:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.values: dict[str, Any] = {}
        self.generation = 0  # grows at every notice: a value read before a notice must not be kept after it
        self.listening = False
        self.thread: threading.Thread | None = None
        self.stopping = threading.Event()

    def start(self, params: dict[str, Any]) -> None:
        with self.lock:
            if self.thread is not None and self.thread.is_alive():
                return
            self.thread = threading.Thread(target=self._run, args=(params,), name="kp-public-listen", daemon=True)
            self.thread.start()

    def _forget(self, *, listening: bool) -> None:
        with self.lock:
            self.generation += 1
            self.values.clear()
            self.listening = listening

    def _run(self, params: dict[str, Any]) -> None:
        import psycopg

        while not self.stopping.is_set():
            try:
                with psycopg.connect(**params, autocommit=True) as conn:
                    conn.execute(f"LISTEN {CHANNEL}")
                    self._forget(listening=True)
                    while not self.stopping.is_set():
                        for _notice in conn.notifies(timeout=0.5):
                            self._forget(listening=True)
            except Exception:  # noqa: BLE001 - any failure: stop trusting memory, reconnect
                log.warning("public revision listener lost its connection; reading counters from the database")
            self._forget(listening=False)
            self.stopping.wait(1)

    def stop(self) -> None:
        thread = self.thread
        if thread is not None:
            self.stopping.set()
            thread.join(timeout=5)
        self.thread = None
        self.stopping.clear()
        self._forget(listening=False)

    def get(self, slug: str) -> tuple[Any, int]:
        """(the kept value or None, the generation it belongs to)."""
        with self.lock:
            return (self.values.get(slug) if self.listening else None), self.generation

    def keep(self, slug: str, value: Any, generation: int) -> None:
        with self.lock:
            if self.listening and generation == self.generation:
                self.values[slug] = value


_listener = _Listener()


def usable() -> bool:
    """Whether counters may come from memory for this request."""
    return connection.vendor == "postgresql" and not connection.in_atomic_block


def kept(slug: str) -> tuple[Any, int]:
    if not usable():
        return None, -1
    if _listener.thread is None or not _listener.thread.is_alive():
        params = dict(connection.get_connection_params())
        params.pop("cursor_factory", None)
        params.pop("context", None)
        _listener.start(params)
    return _listener.get(slug)


def keep(slug: str, value: Any, generation: int) -> None:
    if generation >= 0:
        _listener.keep(slug, value, generation)


def stop() -> None:
    """Close the listener (tests, before their database is dropped); the next request starts it again."""
    _listener.stop()
