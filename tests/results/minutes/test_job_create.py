"""Starting the ZIP of an area's minutes (issue 14): one job per area and language at a time, a limit per person,
and every new job in the audit log."""

import datetime as dt

import pytest
from django.test import override_settings
from django.utils import timezone, translation

from elections.audit_codes import AuditAction
from elections.models import AuditEntry
from results.minutes import jobs as minutes_jobs
from results.models import MinutesJob

pytestmark = pytest.mark.django_db


def start(world, area="C1", language="vi", by="committee_c1"):
    return minutes_jobs.job_create(
        election=world.election, area=world.areas[area], language=language, by=world.users[by], source="web test"
    )


@pytest.fixture
def started(monkeypatch):
    """The jobs that would be started once the transaction commits (the runner itself is not run)."""
    calls: list[int] = []
    monkeypatch.setattr(minutes_jobs, "job_start", calls.append)
    return calls


def test_a_new_job_is_queued_and_started_after_the_commit(world, started, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        job, created = start(world)
    assert created and job.status == MinutesJob.Status.QUEUED and job.language == "vi"
    assert started == [job.pk]


@pytest.mark.parametrize("status", [MinutesJob.Status.QUEUED, MinutesJob.Status.RUNNING])
def test_a_second_request_for_the_area_and_language_reuses_the_job_in_progress(world, status):
    # given a job of C1 in Vietnamese, queued or running, started by one committee member
    first, _created = start(world, by="committee_c1")
    MinutesJob.objects.filter(pk=first.pk).update(status=status, heartbeat_at=timezone.now())
    # when another member (or the same one, clicking twice) asks for it
    again, created = start(world, by="committee_p")
    # then it is the same job, and no other was made
    assert (again.pk, created) == (first.pk, False)
    assert MinutesJob.objects.count() == 1


@pytest.mark.parametrize("status", [MinutesJob.Status.DONE, MinutesJob.Status.FAILED])
def test_a_finished_job_is_not_reused(world, status):
    first, _created = start(world)
    MinutesJob.objects.filter(pk=first.pk).update(status=status)
    again, created = start(world)
    assert created and again.pk != first.pk


def test_another_language_or_another_area_is_another_job(world):
    vi, _ = start(world, language="vi")
    en, en_created = start(world, language="en")
    d1, d1_created = start(world, area="D1")
    assert en_created and d1_created and len({vi.pk, en.pk, d1.pk}) == 3
    assert {j.language for j in MinutesJob.objects.filter(area=world.areas["C1"])} == {"vi", "en"}


def test_an_unknown_language_is_read_as_vietnamese_and_shares_its_job(world):
    vi, _ = start(world, language="vi")
    odd, created = start(world, language="xx")
    assert (odd.pk, created) == (vi.pk, False)


def test_a_reused_job_in_progress_is_not_started_twice(world, started, django_capture_on_commit_callbacks):
    first, _ = start(world)
    with django_capture_on_commit_callbacks(execute=True):
        start(world, by="committee_p")
    assert first.pk not in started


def test_a_stalled_job_is_started_again_when_asked_for(world, started, django_capture_on_commit_callbacks):
    # given a running job whose runner stopped sending heartbeats
    first, _ = start(world)
    stale = timezone.now() - minutes_jobs.STALE_AFTER - dt.timedelta(seconds=5)
    MinutesJob.objects.filter(pk=first.pk).update(status=MinutesJob.Status.RUNNING, heartbeat_at=stale)
    # when someone asks for the ZIP again; then the same job is started again (its runner claims it once)
    with django_capture_on_commit_callbacks(execute=True):
        again, created = start(world, by="committee_p")
    assert (again.pk, created) == (first.pk, False)
    assert started == [first.pk]


@override_settings(MINUTES_JOBS_PER_USER_PER_HOUR=2)
def test_a_person_starts_at_most_the_set_number_of_jobs_an_hour(world):
    # given two jobs started by one committee member in the last hour
    start(world, area="C1")
    start(world, area="D1")
    before = AuditEntry.objects.count()
    # when someone else starts one, they may (the limit is per person)
    _other, created = start(world, area="C1", language="en", by="committee_p")
    assert created
    # when the first member starts a third; then it is refused with a message, and nothing of theirs is written
    with pytest.raises(minutes_jobs.TooManyMinutesJobs) as refused:
        start(world, area="D1", language="en", by="committee_c1")
    assert refused.value.status == 429
    with translation.override("en"):
        assert "You have started 2 ZIPs of minutes in the last hour" in str(refused.value)
    assert MinutesJob.objects.filter(requested_by=world.users["committee_c1"]).count() == 2
    assert AuditEntry.objects.count() == before + 1  # only committee_p's job


@override_settings(MINUTES_JOBS_PER_USER_PER_HOUR=1)
def test_jobs_older_than_an_hour_and_reused_jobs_do_not_count(world):
    first, _ = start(world, area="C1")
    again, created = start(world, area="C1", by="committee_c1")  # the same job, handed back: not counted
    assert (again.pk, created) == (first.pk, False)
    with pytest.raises(minutes_jobs.TooManyMinutesJobs):
        start(world, area="D1")
    MinutesJob.objects.filter(pk=first.pk).update(created_at=timezone.now() - dt.timedelta(hours=1, minutes=1))
    _job, created = start(world, area="D1")
    assert created


def test_a_new_job_is_audited_and_a_reused_one_is_not(world):
    job, _ = start(world, by="committee_c1")
    start(world, by="committee_p")
    entries = list(AuditEntry.objects.filter(action=AuditAction.MINUTES_ZIP_REQUESTED))
    assert len(entries) == 1
    entry = entries[0]
    assert entry.actor == world.users["committee_c1"] and entry.election_slug == world.election.slug
    assert (entry.object_type, entry.object_key) == ("minutes_job", str(job.pk))
    assert entry.data == {"area": "C1", "language": "vi"} and entry.source == "web test"
