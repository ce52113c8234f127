"""core/tasks.py: a task runs after its transaction commits, never for a rolled-back one, inline or in the pool."""

import threading

import pytest
from django.db import transaction

from core import tasks

PATH = "tests.core.test_tasks.record"
calls: list[tuple[object, ...]] = []
gate = threading.Event()


def record(*args: object, **kwargs: object) -> None:
    calls.append((threading.current_thread().name, args, tuple(sorted(kwargs.items()))))


def wait_at_the_gate(n: int) -> None:
    assert gate.wait(10)


def fail() -> None:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _no_calls():
    calls.clear()
    gate.clear()
    yield
    gate.set()
    tasks.wait_for_threads(timeout=10)


@pytest.mark.django_db
def test_a_task_runs_only_once_its_transaction_commits(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as sent:
        tasks.send(PATH, 7, retry=True)
        assert calls == []  # not before the commit
    assert len(sent) == 1
    assert calls == [(threading.current_thread().name, (7,), (("retry", True),))]  # inline in tests


@pytest.mark.django_db
def test_a_rolled_back_transaction_sends_nothing(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as sent, pytest.raises(ValueError), transaction.atomic():
        tasks.send(PATH, 7)
        raise ValueError("the request failed")
    assert sent == [] and calls == []


@pytest.mark.django_db(transaction=True)  # autocommit: sent at once, as by a page's GET
def test_the_thread_runner_runs_a_task_in_the_pool_and_closes_its_connections(settings, monkeypatch):
    settings.TASK_RUNNER = "thread"
    closed = []
    monkeypatch.setattr(tasks.connections, "close_all", lambda: closed.append(threading.current_thread().name))
    tasks.send(PATH, 1)
    tasks.wait_for_threads(timeout=10)
    assert [(name.startswith("kp-task"), args) for name, args, _kw in calls] == [(True, (1,))]
    assert len(closed) == 1 and closed[0].startswith("kp-task")


@pytest.mark.django_db(transaction=True)  # autocommit: sent at once, as by a page's GET
def test_the_same_call_waiting_in_the_pool_is_queued_once(settings):
    settings.TASK_RUNNER = "thread"
    settings.TASK_THREADS = 2
    tasks.send("tests.core.test_tasks.wait_at_the_gate", 1)
    tasks.send("tests.core.test_tasks.wait_at_the_gate", 2)  # both threads busy: the calls below wait
    for _ in range(3):
        tasks.send(PATH, 5)
    tasks.send(PATH, 6)
    gate.set()
    tasks.wait_for_threads(timeout=10)
    assert sorted(args for _name, args, _kw in calls) == [(5,), (6,)]


@pytest.mark.django_db(transaction=True)  # autocommit: sent at once, as by a page's GET
def test_a_failing_task_is_logged_not_raised(caplog):
    tasks.send("tests.core.test_tasks.fail")  # inline
    assert "Task tests.core.test_tasks.fail failed" in caplog.text


@pytest.mark.parametrize("argument", [object(), 1.5, [1], {"a": 1}])
def test_a_task_takes_ids_and_plain_values_only(argument):
    with pytest.raises(TypeError):
        tasks.send(PATH, argument)
    assert calls == []


def test_a_wrong_path_fails_when_sent():
    with pytest.raises(ImportError):
        tasks.send("tests.core.test_tasks.no_such_task")
