"""`python manage.py sweep_tasks`: send again the background work a dead worker left (core.tasks.sweep).

celery beat runs the same sweep every minute (config/celery.py); this command is for a deployment without beat
(cron or a systemd timer) and for checking by hand. Nothing waiting, it changes nothing.
"""

from typing import Any

from django.core.management.base import BaseCommand

from core import tasks


class Command(BaseCommand):
    help = "Send again the background work whose worker stopped (stale claims)."

    def handle(self, *args: Any, **options: Any) -> None:
        tasks.sweep()
