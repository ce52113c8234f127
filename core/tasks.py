"""Background work: run a function, named by its dotted path, with ids for arguments, once the transaction commits.

    tasks.send("voters.printing.voter_list_render", unit.pk)

A task follows the rules that let the same code run under a task queue later:

- it takes ids (and other plain values: int, str, bool, None), never model instances, and reads what it needs;
- it is sent only after the current transaction commits (`transaction.on_commit`), so it never looks for a row
  that is not there yet, and a rolled-back request sends nothing;
- it is idempotent: sent twice, or run again after a crash, it does the work once (it claims its row with one
  atomic UPDATE and returns if the work is done or claimed);
- the database row is the source of truth for the job's state (queued, running, done, failed, progress):
  pages read the row, never the runner.

Runners (`settings.TASK_RUNNER`, from KP_TASK_RUNNER):

- "thread" (the default): a small pool of threads in the web process (`settings.TASK_THREADS`, KP_TASK_THREADS),
  so nothing else needs to be installed or started. A call already waiting in the pool with the same arguments
  is not queued twice. Work in progress is lost if the process stops; the tasks' rows say so (a running row's
  heartbeat stops) and the next request sends the task again.
- "inline": in the calling thread when the transaction commits (tests; a failing task is logged, as a worker
  would, and its row says why).

- "celery" (the default with KP_BROKER_URL): after commit the call goes, as its dotted path and arguments, to the
  one generic Celery task `run` below, which workers (`celery -A config worker`, config/celery.py) on any machine
  take from Redis. A message is acknowledged after the task has run and given back if its worker dies, so a task
  may run twice, or start again after a crash: hence the rules above.

`sweep()` (celery beat every minute, or `manage.py sweep_tasks`) sends again the work a dead worker left: each
function of `settings.TASK_SWEEPS` finds the rows whose claim went stale (`settings.TASK_STALE_SECONDS`).
"""

import logging
import os
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor, wait
from functools import partial

from celery import shared_task
from django.conf import settings
from django.db import connections, transaction
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)

Arg = int | str | bool | None
RUNNERS = ("celery", "thread", "inline")

_lock = threading.Lock()
_pool: ThreadPoolExecutor | None = None
_waiting: set[tuple[object, ...]] = set()
_sent: set[Future[None]] = set()


def send(path: str, *args: Arg, **kwargs: Arg) -> None:
    """Run the function at `path` with these plain arguments once the current transaction commits (at once
    outside a transaction). A wrong path or argument fails here, in the caller, not later in the runner."""
    function = import_string(path)
    for value in (*args, *kwargs.values()):
        if not isinstance(value, int | str | bool) and value is not None:
            raise TypeError(f"task arguments are ids and plain values, not {type(value).__name__}")
    transaction.on_commit(partial(_dispatch, path, function, args, kwargs))


def _dispatch(path: str, function: Callable[..., object], args: tuple[Arg, ...], kwargs: dict[str, Arg]) -> None:
    runner = settings.TASK_RUNNER
    if runner == "celery":
        run.apply_async(args=(path, *args), kwargs=kwargs)
        return
    if runner == "inline":
        _run(path, function, args, kwargs)
        return
    if runner != "thread":
        raise ValueError(f"TASK_RUNNER must be one of {RUNNERS}, not {runner!r}")
    key = (path, args, tuple(sorted(kwargs.items())))
    with _lock:
        if key in _waiting:
            return  # the same call waits in the pool already: the task is idempotent, once is enough
        _waiting.add(key)
        future = _thread_pool().submit(_run_in_thread, key, path, function, args, kwargs)
        _sent.add(future)
    future.add_done_callback(_forget)


def _forget(future: "Future[None]") -> None:
    with _lock:
        _sent.discard(future)


def _thread_pool() -> ThreadPoolExecutor:
    global _pool  # one pool per process, made on first use (and again after a fork, see below)
    if _pool is None:
        _pool = ThreadPoolExecutor(max_workers=max(1, settings.TASK_THREADS), thread_name_prefix="kp-task")
    return _pool


def _forget_pool_after_fork() -> None:
    # A forked child (a gunicorn worker of a preloaded app) inherits the pool object but not its threads, and
    # perhaps a lock held by one of them.
    global _pool, _lock
    _pool = None
    _lock = threading.Lock()
    _waiting.clear()
    _sent.clear()


os.register_at_fork(after_in_child=_forget_pool_after_fork)


def _run_in_thread(
    key: tuple[object, ...], path: str, function: Callable[..., object], args: tuple[Arg, ...], kwargs: dict[str, Arg]
) -> None:
    with _lock:
        _waiting.discard(key)
    try:
        _run(path, function, args, kwargs)
    finally:
        connections.close_all()  # this thread's connections only: Django keeps one per thread


def _run(path: str, function: Callable[..., object], args: tuple[Arg, ...], kwargs: dict[str, Arg]) -> None:
    try:
        function(*args, **kwargs)
    except Exception:
        log.exception("Task %s failed", path)


def wait_for_threads(timeout: float | None = None) -> None:
    """Wait until the pool has run every call sent so far (tests and benchmarks; pages never wait)."""
    with _lock:
        sent = set(_sent)
    wait(sent, timeout=timeout)


@shared_task(name="core.tasks.run", acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def run(path: str, *args: Arg, **kwargs: Arg) -> None:
    """The Celery task of every call sent with a broker: run the function at `path` on a worker. A failure is
    logged by the worker and left in the task's row; the message is not sent again (the sweep and the next
    request do, where the row says the work is not done)."""
    import_string(path)(*args, **kwargs)


def sweep() -> None:
    """Send again the work a dead worker left: run each function of `settings.TASK_SWEEPS` (each finds its rows
    whose claim is older than `settings.TASK_STALE_SECONDS` and sends their tasks again; a live worker's rows are
    left alone). Safe at any time and from several places: the tasks are idempotent."""
    for path in settings.TASK_SWEEPS:
        try:
            import_string(path)()
        except Exception:
            log.exception("Sweep %s failed", path)
