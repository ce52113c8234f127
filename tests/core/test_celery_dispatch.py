"""core/tasks.py with a broker: the call goes to Celery's generic task after commit only; config/celery.py's app."""

import pytest
from django.db import transaction

from config.celery import app
from core import tasks

PATH = "tests.core.test_celery_dispatch.record"
calls: list[tuple[object, ...]] = []


def record(*args: object, **kwargs: object) -> None:
    calls.append((args, kwargs))


@pytest.fixture
def queued(settings, monkeypatch):
    """Messages handed to Celery (apply_async), instead of a broker."""
    settings.TASK_RUNNER = "celery"
    messages: list[tuple[object, object]] = []
    monkeypatch.setattr(tasks.run, "apply_async", lambda args, kwargs: messages.append((args, kwargs)))
    calls.clear()
    return messages


@pytest.mark.django_db
def test_with_a_broker_the_call_goes_to_celery_after_commit_only(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        tasks.send(PATH, 7, retry=True)
        assert queued == []  # not before the commit
    assert queued == [((PATH, 7), {"retry": True})]
    assert calls == []  # the web process does not run it


@pytest.mark.django_db
def test_with_a_broker_a_rolled_back_transaction_sends_nothing(queued, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as hooks, pytest.raises(ValueError), transaction.atomic():
        tasks.send(PATH, 7)
        raise ValueError("the request failed")
    assert hooks == [] and queued == []


@pytest.mark.django_db
def test_with_a_broker_a_wrong_path_fails_in_the_caller(queued):
    with pytest.raises(ImportError):
        tasks.send("tests.core.test_celery_dispatch.no_such_task", 1)
    assert queued == []


def test_the_celery_task_runs_the_dotted_path_with_its_arguments():
    calls.clear()
    tasks.run.apply(args=(PATH, 3), kwargs={"retry": False})  # as a worker would, in this process
    assert calls == [((3,), {"retry": False})]


def test_a_killed_workers_task_is_delivered_again():
    assert tasks.run.name == "core.tasks.run" and tasks.run.name in app.tasks
    assert tasks.run.acks_late and tasks.run.reject_on_worker_lost
    assert app.conf.task_acks_late and app.conf.worker_prefetch_multiplier == 1
    assert app.conf.broker_transport_options["visibility_timeout"] >= 60


def test_beat_sends_the_sweep():
    (entry,) = app.conf.beat_schedule.values()
    assert entry["task"] == "core.tasks.run" and entry["args"] == ("core.tasks.sweep",)


def test_the_sweep_runs_every_sweeper_and_survives_a_failing_one(settings):
    calls.clear()
    settings.TASK_SWEEPS = ["tests.core.test_celery_dispatch.broken_sweeper", PATH]
    tasks.sweep()
    assert calls == [((), {})]


def broken_sweeper() -> None:
    raise RuntimeError("redis gone")
