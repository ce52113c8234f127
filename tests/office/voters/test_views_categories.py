"""The voter categories of Art. 29(3) and (5) on the staff pages: shown and filterable on a unit's list, on the
voter's page with the ballots they receive, at check-in, and chosen when a voter is added by hand."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.voters.importing.test_categories import load_with
from voters.models import Voter

SLUG = "world-2021"
ROWS = (
    "079090000001,Người Thường,1970-01-02,male,U1,,",
    "079090000002,Chiến Sĩ Một,2003-01-01,male,U1,,armed_forces",
    "079090000003,Người Tạm Giam,1980-01-01,male,U1,,detention",
)


@pytest.fixture
def categorised(world):
    load_with(world.election, *ROWS)
    return world


def english_client(world, username):
    client = Client()
    client.force_login(world.users[username])
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_unit_list_shows_each_category_and_filters_by_it(categorised):
    client = english_client(categorised, "committee_c1")
    url = reverse("voters:unit-list", args=[SLUG, "U1"])
    page = client.get(url).content.decode()
    assert 'data-category="armed_forces"' in page and "soldier in an armed-forces unit (Art. 29(3))" in page
    assert 'data-category="detention"' in page and "in temporary detention (Art. 29(5))" in page
    assert '<option value="compulsory_facility">' in page  # the filter offers every category
    only = client.get(url, {"category": "armed_forces"}).content.decode()
    assert "Chiến Sĩ Một" in only and "Người Thường" not in only and "Người Tạm Giam" not in only
    ordinary = client.get(url, {"category": "ordinary"}).content.decode()
    assert "Người Thường" in ordinary and "Chiến Sĩ Một" not in ordinary
    # the per-contest figures: the commune council's leaves both out
    qh_name, xa_name = (c.name for c in categorised.election.contests.order_by("position"))
    assert f'<dt>{qh_name}</dt><dd class="num">3</dd>' in page
    assert f'<dt>{xa_name}</dt><dd class="num">1</dd>' in page


def test_a_bad_category_filter_is_no_error(categorised):
    response = english_client(categorised, "committee_c1").get(
        reverse("voters:unit-list", args=[SLUG, "U1"]), {"category": "general"}
    )
    assert response.status_code == 200


def test_the_voter_page_shows_the_category_and_the_ballots(categorised):
    client = english_client(categorised, "committee_c1")
    soldier = client.get(reverse("voters:voter-detail", args=[SLUG, "U1", 2])).content.decode()
    assert "soldier in an armed-forces unit (Art. 29(3))" in soldier
    ballots = soldier.split('data-testid="ballots">')[1].split("</dd>")[0]
    qh_name, xa_name = (c.name for c in categorised.election.contests.order_by("position"))
    assert qh_name in ballots and xa_name not in ballots
    ordinary = client.get(reverse("voters:voter-detail", args=[SLUG, "U1", 1])).content.decode()
    ballots = ordinary.split('data-testid="ballots">')[1].split("</dd>")[0]
    assert qh_name in ballots and xa_name in ballots


def test_check_in_says_which_ballots_to_hand_over(categorised):
    client = english_client(categorised, "clerk_u1")
    soldier = Voter.objects.get(full_name="Chiến Sĩ Một")
    page = client.post(reverse("voters:check-in", args=[SLUG, "U1"]), {"voter": soldier.pk}).content.decode()
    told = page.split('data-testid="ballots">')[1].split("</span>")[0]
    qh_name, xa_name = (c.name for c in categorised.election.contests.order_by("position"))
    assert "Ballots to hand over:" in told and qh_name in told and xa_name not in told
    assert "(Art. 29(3))" in told


def test_a_voter_added_by_hand_gets_the_chosen_category(open_world):
    client = english_client(open_world, "committee_c1")
    response = client.post(
        reverse("voters:voter-add", args=[SLUG, "U1"]),
        {
            "national_id": "079090000088",
            "full_name": "Người Cai Nghiện",
            "date_of_birth": "01/02/1990",
            "gender": "male",
            "residence": "permanent",
            "category": "compulsory_facility",
            "note": "moved to the centre",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Voter.objects.get(full_name="Người Cai Nghiện").category == "compulsory_facility"
    refused = client.post(
        reverse("voters:voter-add", args=[SLUG, "U1"]),
        {"national_id": "079090000087", "full_name": "X", "date_of_birth": "01/02/1990", "gender": "male",
         "residence": "permanent", "category": "prisoner", "note": "n"},
    )  # fmt: skip
    assert refused.status_code == 400 and not Voter.objects.filter(full_name="X").exists()
