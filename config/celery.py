"""The Celery app of the workers (CONTRACT §11): `celery -A config worker`, and `celery -A config beat` for the sweep.

Used only with KP_BROKER_URL (Redis). The app reads its settings from Django's (the `CELERY_` names of
config/settings/base.py) and finds the tasks of every app; the one generic task (`core.tasks.run`) runs any
function named by its dotted path, so callers keep calling `core.tasks.send`. Without a broker nothing here is
used: the same functions run in the web process (core/tasks.py).
"""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")

app = Celery("kiemphieu")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
app.conf.imports = ("core.tasks",)

# Seconds between two sweeps sent by `celery -A config beat` (one beat for the whole deployment): each sends again
# the work a dead worker left (`core.tasks.sweep`, also `manage.py sweep_tasks`).
SWEEP_EVERY = 60.0
app.conf.beat_schedule = {
    "sweep": {"task": "core.tasks.run", "schedule": SWEEP_EVERY, "args": ("core.tasks.sweep",)},
}
