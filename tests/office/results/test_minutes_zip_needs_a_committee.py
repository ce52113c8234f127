"""Starting an area's minutes ZIP writes a job and spends the server's time: a read-only auditor may look at the
area's minutes but not start or retry its ZIP (issue 12: a POST never needs less than a write permission)."""

import pytest
from django.test import Client

from elections.models import Role, RoleAssignment
from results.models import MinutesJob


@pytest.fixture
def auditor(world, django_user_model):
    user = django_user_model.objects.create_user("auditor_zip", password="x")
    RoleAssignment.objects.create(user=user, election=world.election, role=Role.AUDITOR)
    client = Client()
    client.force_login(user)
    return client


def _address(world):
    area = world.units["U1"].area
    return f"/elections/{world.election.slug}/official-minutes/areas/{area.code}/"


def test_an_auditor_sees_the_area_but_may_not_start_its_zip(world, auditor):
    page = auditor.get(_address(world))
    assert page.status_code == 200
    assert b'data-testid="zip-start"' not in page.content
    assert auditor.post(_address(world), {"lang": "vi"}).status_code == 403
    assert not MinutesJob.objects.exists()


def test_an_auditor_may_not_retry_a_job(world, auditor):
    area = world.units["U1"].area
    job = MinutesJob.objects.create(
        election=world.election, area=area, language="vi", requested_by=world.users["committee_p"]
    )
    address = f"/elections/{world.election.slug}/official-minutes/jobs/{job.pk}/retry/"
    assert auditor.post(address).status_code == 403


def test_a_committee_of_the_area_starts_it(world):
    committee = Client()
    committee.force_login(world.users["committee_p"])
    assert b'data-testid="zip-start"' in committee.get(_address(world)).content
    assert committee.post(_address(world), {"lang": "vi"}).status_code == 302
    assert MinutesJob.objects.count() == 1
