"""Issue 13, point 1: KP_BROKER_URL sends background work to Celery workers; without it, the web process runs it."""

import runpy
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

BASE = Path(__file__).resolve().parents[2] / "config" / "settings" / "base.py"
VARIABLES = ("KP_BROKER_URL", "KP_TASK_RUNNER", "KP_MINUTES_JOB_RUNNER", "KP_BROKER_VISIBILITY_TIMEOUT")


def settings_with(monkeypatch, **env: str) -> dict:
    for name in VARIABLES:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(BASE))


def test_without_a_broker_tasks_run_in_the_web_process(monkeypatch):
    values = settings_with(monkeypatch)
    assert values["TASK_RUNNER"] == "thread" and values["CELERY_BROKER_URL"] == ""


def test_a_broker_url_sends_tasks_to_celery_workers(monkeypatch):
    values = settings_with(monkeypatch, KP_BROKER_URL="redis://broker.internal:6379/0")
    assert values["TASK_RUNNER"] == "celery"
    assert values["CELERY_BROKER_URL"] == "redis://broker.internal:6379/0"
    assert values["CELERY_TASK_ACKS_LATE"] and values["CELERY_TASK_REJECT_ON_WORKER_LOST"]
    assert values["CELERY_BROKER_TRANSPORT_OPTIONS"] == {"visibility_timeout": 900}


@pytest.mark.parametrize(
    ("env", "says"),
    [
        ({"KP_TASK_RUNNER": "celery"}, "KP_TASK_RUNNER=celery needs KP_BROKER_URL"),
        ({"KP_TASK_RUNNER": "process"}, "KP_TASK_RUNNER must be celery, thread or inline"),
        ({"KP_MINUTES_JOB_RUNNER": "process"}, "KP_MINUTES_JOB_RUNNER is no longer read"),
    ],
)
def test_a_bad_or_replaced_task_variable_stops_start_up_with_its_name(monkeypatch, env, says):
    with pytest.raises(ImproperlyConfigured, match=says):
        settings_with(monkeypatch, **env)
