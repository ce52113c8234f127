"""The queue of people listed twice (Art. 29): shown to, and settled by, a committee that covers both lists only."""

import datetime as dt

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.elections.test_permissions import USERS
from voters import services
from voters.models import DoubleListing, Voter, VoterStatus, voter_pk

SLUG = "world-2021"
ON_U2 = services.NewVoter(
    national_id="079090000004", full_name="Phạm Thị Dung", date_of_birth=dt.date(1985, 8, 9), gender="female"
)
# Who may see and settle a case between U1 (area C1) and U2 (area C2): committees of D1 and P, and administrators.
SETTLERS = {"committee_d1", "committee_p", "superuser"}


@pytest.fixture
def held(open_world):
    """Committee C1 added, on U1, the person listed on U2: their new row is held."""
    services.voter_add(unit=open_world.units["U1"], person=ON_U2, note="x", by=open_world.users["committee_c1"])
    return open_world


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


@pytest.mark.parametrize("username", USERS)
def test_the_queue_of_an_area_lists_the_cases_of_its_two_units_for_its_committees(held, username):
    answer = client_for(held, username).get(reverse("voters:double-listings", args=[SLUG, "D1"]))
    if username == "anonymous":
        assert answer.status_code == 302
    elif username in SETTLERS:
        assert answer.status_code == 200 and answer.content.decode().count('data-testid="double-listing"') == 1
    else:
        assert answer.status_code == 404  # committee C1 included: it cannot see U2's list


def test_the_queue_of_the_uploaders_own_area_shows_no_case(held):
    page = client_for(held, "committee_c1").get(reverse("voters:double-listings", args=[SLUG, "C1"]))
    assert page.status_code == 200 and "Nobody is listed twice in this area." in page.content.decode()
    upload_page = client_for(held, "committee_c1").get(reverse("voters:import", args=[SLUG, "C1"]))
    assert "listed twice" not in upload_page.content.decode()


@pytest.mark.parametrize(
    ("decision", "u1_row", "u2_row"),
    [("kept_first", VoterStatus.REMOVED, VoterStatus.LISTED), ("moved", VoterStatus.LISTED, VoterStatus.REMOVED)],
)
def test_a_committee_above_settles_a_case_both_ways(held, decision, u1_row, u2_row):
    case = DoubleListing.objects.get()
    url = reverse("voters:double-listing-settle", args=[SLUG, "D1", case.pk])
    answer = client_for(held, "committee_d1").post(
        url, {f"c{case.pk}-decision": decision, f"c{case.pk}-note": "xác minh"}
    )
    assert answer.status_code == 302 and answer["Location"].endswith("/areas/D1/listed-twice/")
    new = Voter.objects.get(pk=voter_pk(held.units["U1"].pk, 4))
    first = Voter.objects.get(pk=voter_pk(held.units["U2"].pk, 1))
    assert (new.status, first.status, new.held) == (u1_row, u2_row, False)
    case.refresh_from_db()
    assert (case.outcome, case.note) == (decision, "xác minh")
    # the queue is empty again
    page = client_for(held, "committee_d1").get(reverse("voters:double-listings", args=[SLUG, "D1"]))
    assert 'data-testid="double-listing"' not in page.content.decode()


@pytest.mark.parametrize("username", sorted(set(USERS) - SETTLERS - {"anonymous"}))
def test_nobody_else_can_settle(held, username):
    case = DoubleListing.objects.get()
    for area in ("C1", "D1"):
        url = reverse("voters:double-listing-settle", args=[SLUG, area, case.pk])
        answer = client_for(held, username).post(url, {f"c{case.pk}-decision": "kept_first"})
        assert answer.status_code == 404
    assert DoubleListing.objects.get().outcome == DoubleListing.Outcome.OPEN


def test_a_settlement_without_a_decision_changes_nothing(held):
    case = DoubleListing.objects.get()
    url = reverse("voters:double-listing-settle", args=[SLUG, "D1", case.pk])
    answer = client_for(held, "committee_d1").post(url, {f"c{case.pk}-decision": "both"})
    assert answer.status_code == 302 and DoubleListing.objects.get().outcome == DoubleListing.Outcome.OPEN
