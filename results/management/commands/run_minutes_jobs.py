"""`python manage.py run_minutes_jobs [--job ID] [--loop] [--workers N]`: build the queued ZIPs of minutes.

The web pages send each job as a background task (results/minutes/jobs.py; Celery workers with a broker), and
`manage.py sweep_tasks` sends again what a dead worker left; this command runs queued jobs, and takes over stalled
ones, by hand. Running it when nothing is waiting changes nothing.
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from results.minutes import jobs as minutes_jobs


class Command(BaseCommand):
    help = "Build the queued ZIPs of official minutes (and take over stalled ones)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--job", type=int, help="run this job only")
        parser.add_argument("--workers", type=int, default=0, help="rendering processes (default: one per core)")
        parser.add_argument("--loop", action="store_true", help="keep polling for new jobs every few seconds")
        parser.add_argument("--dry-run", action="store_true", help="list the jobs that would run, run none")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"] or None
        while True:
            ids = [options["job"]] if options["job"] else minutes_jobs.pending_jobs()
            for job_id in ids:
                if options["dry_run"]:
                    self.stdout.write(f"would run minutes job {job_id}")
                    continue
                job = minutes_jobs.job_run(job_id, workers=workers)
                if job is None:
                    self.stdout.write(f"minutes job {job_id}: taken by another runner or not waiting")
                else:
                    self.stdout.write(f"minutes job {job_id}: {job.status}, {job.done}/{job.total} minutes")
            if not options["loop"] or options["job"]:
                return
            time.sleep(3)
