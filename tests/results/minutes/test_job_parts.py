"""The ZIP with a broker: one task per minute, shared by workers, then one assembly; repeated or lost messages."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from results.minutes import jobs as minutes_jobs
from results.models import MinutesJob, MinutesJobPart

pytestmark = pytest.mark.django_db


@pytest.fixture
def queue(settings, monkeypatch):
    """The messages the job sends, as a broker would hold them; `deliver` runs them as workers would."""
    settings.TASK_RUNNER = "celery"
    messages: list[tuple[str, tuple[object, ...]]] = []
    monkeypatch.setattr(minutes_jobs.tasks, "send", lambda path, *args: messages.append((path, args)))
    return messages


def deliver(messages, *, times=1):
    while messages:
        path, args = messages.pop(0)
        function = getattr(minutes_jobs, path.rsplit(".", 1)[1])
        for _ in range(times):
            function(*args)


def new_job(world):
    return MinutesJob.objects.create(
        election=world.election, area=world.areas["P"], requested_by=world.users["committee_p"]
    )


def contents(job):
    with job.file.open("rb") as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    return {name: archive.read(name) for name in archive.namelist()}


def test_minute_by_minute_gives_the_same_zip_as_one_runner(counted, queue, settings):
    split = new_job(counted)
    minutes_jobs.job_run(split.pk)
    assert [path for path, _ in queue].count(minutes_jobs.PART_TASK) == 14
    deliver(queue, times=2)  # every message delivered twice: each minute is still rendered once
    split.refresh_from_db()
    assert split.status == "done" and split.done == split.total == 14, split.error
    assert not MinutesJobPart.objects.filter(job=split, content__isnull=False).exists()  # PDFs dropped
    settings.TASK_RUNNER = "inline"
    whole = minutes_jobs.job_run(new_job(counted).pk, workers=1)
    assert contents(split) == contents(whole)


def test_progress_counts_the_parts_done(counted, queue):
    job = new_job(counted)
    minutes_jobs.job_run(job.pk)
    path, args = queue.pop(0)
    minutes_jobs.part_render(*args)
    minutes_jobs.part_render(*args)
    job.refresh_from_db()
    assert (job.status, job.done, job.total) == ("running", 1, 14)


def test_the_sweep_sends_again_what_a_dead_worker_left(counted, queue):
    job = new_job(counted)
    minutes_jobs.job_run(job.pk)
    queue.clear()  # the messages were lost with their worker
    long_ago = timezone.now() - dt.timedelta(minutes=10)
    dead = MinutesJobPart.objects.filter(job=job).order_by("position").first()
    MinutesJobPart.objects.filter(pk=dead.pk).update(status="running", claimed_at=long_ago, rendered_by="gone:1")
    minutes_jobs.sweep()
    assert queue == []  # the job's heartbeat is fresh: its workers may be alive
    MinutesJob.objects.filter(pk=job.pk).update(heartbeat_at=long_ago)
    minutes_jobs.sweep()
    assert len(queue) == 14
    deliver(queue)
    job.refresh_from_db()
    assert job.status == "done" and job.done == 14
    assert not MinutesJobPart.objects.filter(job=job, rendered_by="gone:1").exists()


def test_a_live_workers_part_is_not_taken_over(counted, queue):
    job = new_job(counted)
    minutes_jobs.job_run(job.pk)
    busy = MinutesJobPart.objects.filter(job=job).order_by("position").first()
    MinutesJobPart.objects.filter(pk=busy.pk).update(status="running", claimed_at=timezone.now(), rendered_by="b:2")
    deliver(queue)
    job.refresh_from_db()
    assert job.status == "running" and job.done == 13  # waits for the live worker's part
    busy.refresh_from_db()
    assert busy.rendered_by == "b:2" and busy.status == "running"


def test_the_assembly_waits_for_every_part(counted, queue):
    job = new_job(counted)
    minutes_jobs.job_run(job.pk)
    minutes_jobs.job_assemble(job.pk)
    job.refresh_from_db()
    assert job.status == "running" and not job.file
