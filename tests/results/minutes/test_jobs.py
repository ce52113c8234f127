"""The background ZIP: two rendering processes give the very same files; starting, claiming and taking over jobs."""

import datetime as dt
import io
import zipfile

import pytest
from django.utils import timezone

from results.minutes import jobs as minutes_jobs
from results.models import MinutesJob

pytestmark = pytest.mark.django_db


def new_job(world, **kwargs):
    return MinutesJob.objects.create(
        election=world.election, area=world.areas["P"], requested_by=world.users["committee_p"], **kwargs
    )


def contents(job):
    with job.file.open("rb") as fh:
        archive = zipfile.ZipFile(io.BytesIO(fh.read()))
    return {name: archive.read(name) for name in archive.namelist()}


def test_two_worker_processes_give_the_same_zip_as_one(counted):
    one = minutes_jobs.job_run(new_job(counted).pk, workers=1)
    two = minutes_jobs.job_run(new_job(counted).pk, workers=2)
    assert one.status == two.status == "done", (one.error, two.error)
    assert one.done == one.total == two.total == 14
    assert contents(one) == contents(two)  # rendering is deterministic across processes


def test_a_job_runs_once(counted):
    job = new_job(counted)
    assert minutes_jobs.job_run(job.pk, workers=1) is not None
    assert minutes_jobs.job_run(job.pk, workers=1) is None  # done: nobody claims it again


def test_a_stalled_job_is_taken_over(counted):
    job = new_job(counted, status="running", heartbeat_at=timezone.now() - dt.timedelta(minutes=10), done=3)
    fresh = new_job(counted, status="running", heartbeat_at=timezone.now())
    assert job.pk in minutes_jobs.pending_jobs() and fresh.pk not in minutes_jobs.pending_jobs()
    assert minutes_jobs.job_run(fresh.pk, workers=1) is None  # its runner is alive
    assert minutes_jobs.job_run(job.pk, workers=1).status == "done"


def test_a_failing_job_says_why(counted, monkeypatch):
    def broken(area):
        raise RuntimeError("disk full")

    monkeypatch.setattr(minutes_jobs, "area_refs", broken)
    job = minutes_jobs.job_run(new_job(counted).pk, workers=1)
    assert job.status == "failed" and "disk full" in job.error


def test_starting_a_job_sends_its_task_after_commit(counted, monkeypatch):
    sent = []
    monkeypatch.setattr(minutes_jobs.tasks, "send", lambda path, *args: sent.append((path, args)))
    minutes_jobs.job_start(42)
    assert sent == [("results.minutes.jobs.job_run", (42,))]


def test_the_command_runs_waiting_jobs(counted):
    from django.core.management import call_command

    job = new_job(counted)
    call_command("run_minutes_jobs", "--workers", "1", verbosity=0)
    job.refresh_from_db()
    assert job.status == "done"


def test_minutes_that_cannot_be_made_yet_are_listed_in_the_manifest(world):
    job = minutes_jobs.job_run(new_job(world).pk, workers=1)  # nothing is counted in this world
    assert job.status == "done" and job.done == job.total > 0, job.error
    files = contents(job)
    assert list(files) == ["manifest.csv"]  # no PDF to put in
    lines = files["manifest.csv"].decode().splitlines()
    assert lines[0] == "file,kind,key,version,status,sha256" and len(lines) == 1 + job.total
    assert all(line.startswith(",") and ",not counted yet," in line for line in lines[1:]), lines
    assert any(",constituency,QH1/r1," in line for line in lines[1:]), lines
    # Issue 17, point 9: the job counts its PDF files apart from the manifest-only lines.
    assert (job.files, job.not_counted) == (0, job.total)


def test_the_zip_job_counts_the_pdf_files_it_holds(counted):
    job = minutes_jobs.job_run(new_job(counted).pk, workers=1)
    pdfs = [name for name in contents(job) if name.endswith(".pdf")]
    assert job.status == "done" and pdfs, job.error
    assert job.files == len(pdfs) == job.total - job.not_counted
