"""The ZIP of an area's minutes from its page (issue 14): only a committee of the area starts it, and a refused
request writes nothing; a second click shows the job in progress; the limit per person is said in words."""

import pytest
from django.conf import settings
from django.test import Client, override_settings

from elections.models import AuditEntry
from results.models import MinutesJob
from tests.elections.test_permissions import USERS

AREA = "/elections/world-2021/official-minutes/areas/C1/"
STARTS_C1 = {"committee_p", "committee_d1", "committee_c1", "superuser"}
SEES_C1 = STARTS_C1 | {"auditor", "staff"}


def client_for(world, username, lang="en"):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", USERS)
def test_only_a_committee_of_the_area_starts_its_zip_and_a_refusal_writes_nothing(world, username):
    # given nothing in the audit log or the job queue yet
    audit_before = AuditEntry.objects.count()
    # when the person asks for the ZIP of C1
    response = client_for(world, username).post(AREA, {"lang": "vi"})
    # then a committee of C1 (or above) gets its job; the auditor and staff, who may look, 403; others 404 or login
    if username in STARTS_C1:
        job = MinutesJob.objects.get()
        assert response.status_code == 302 and response["Location"].endswith(f"?job={job.pk}")
        assert job.requested_by == world.users[username] and job.area == world.areas["C1"]
        assert AuditEntry.objects.count() == audit_before + 1
        return
    if username == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == (403 if username in SEES_C1 else 404)
    assert not MinutesJob.objects.exists()
    assert AuditEntry.objects.count() == audit_before


def test_a_second_click_shows_the_job_already_in_progress(world):
    # given a committee member who started the ZIP
    first = client_for(world, "committee_c1").post(AREA, {"lang": "vi"})
    # when another member asks for the same ZIP
    second = client_for(world, "committee_d1").post(AREA, {"lang": "vi"}, follow=True)
    # then they are sent to the same job, told so, and no second job exists
    job = MinutesJob.objects.get()
    assert first["Location"].endswith(f"?job={job.pk}")
    assert second.redirect_chain[-1][0].endswith(f"?job={job.pk}")
    assert "This ZIP is already being made" in second.content.decode()


def test_the_english_zip_is_a_job_of_its_own(world):
    client = client_for(world, "committee_c1")
    client.post(AREA, {"lang": "vi"})
    client.post(AREA, {"lang": "en"})
    assert sorted(MinutesJob.objects.values_list("language", flat=True)) == ["en", "vi"]


@override_settings(MINUTES_JOBS_PER_USER_PER_HOUR=1)
def test_over_the_limit_the_page_says_so_and_starts_nothing(world):
    # given a member who started the one ZIP an hour allows
    client = client_for(world, "committee_p")
    client.post(AREA, {"lang": "vi"})
    # when they ask for the ZIP of another area
    response = client.post("/elections/world-2021/official-minutes/areas/P/", {"lang": "vi"}, follow=True)
    # then the page of that area says why, and no job is added
    assert response.status_code == 200
    assert "You have started 1 ZIP of minutes in the last hour, the most allowed" in response.content.decode()
    assert MinutesJob.objects.count() == 1


@pytest.mark.parametrize("lang", ["", "xx", "en" * 2000])
def test_an_odd_language_is_read_as_vietnamese(world, lang):
    response = client_for(world, "committee_c1").post(AREA, {"lang": lang})
    assert response.status_code == 302
    assert MinutesJob.objects.get().language in ("vi", "en")
