"""Election-day pages for every persona: the role matrix as HTTP status codes."""

import pytest
from django.test import Client

from results.models import Tally
from results.tallies import services
from tests.elections.test_permissions import USERS
from tests.results.conftest import good_qh, payload

BASE = "/elections/world-2021"
REVIEWERS = {"board_qh1", "committee_p", "committee_d1", "committee_c1", "superuser"}
READERS = REVIEWERS | {"clerk_u1", "auditor", "staff"}

PAGES = {
    # url: (allowed users, status for others)
    f"{BASE}/review/": (REVIEWERS | {"board_xa1", "auditor", "staff"}, {"clerk_u1": 403, "*": 404}),
    f"{BASE}/units/U1/minutes/QH/": ({"clerk_u1", "superuser"}, {"*": 403}),
    f"{BASE}/units/U1/minutes/QH/review/": (READERS, {"*": 403}),
    f"{BASE}/units/U1/minutes/XA/review/": (READERS - {"board_qh1"} | {"board_xa1"}, {"*": 403}),
    f"{BASE}/units/U1/turnout/": ({"clerk_u1", "superuser"}, {"*": 404}),
}


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("url", list(PAGES))
def test_pages(world, username, url):
    allowed, refused = PAGES[url]
    response = client_for(world, username).get(url)
    if username == "anonymous":
        assert response.status_code == 302
    elif username in allowed:
        assert response.status_code == 200
    else:
        assert response.status_code == refused.get(username, refused["*"])


@pytest.fixture
def submitted(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    return services.tally_submit(scope=scope_u1_qh, by=clerk)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(
    ("action", "allowed", "after"),
    [
        ("approve", REVIEWERS, "approved"),
        ("return", REVIEWERS, "returned"),
        ("annul", {"committee_p", "committee_d1", "committee_c1", "superuser"}, "annulled"),
    ],
)
def test_actions(world, submitted, username, action, allowed, after):
    response = client_for(world, username).post(f"{BASE}/units/U1/minutes/QH/{action}/", {"reason": "lý do"})
    status = Tally.objects.get().status
    if username == "anonymous":
        assert (response.status_code, status) == (302, "submitted")
    elif username in allowed:
        assert (response.status_code, status) == (302, after)
    else:
        assert (response.status_code, status) == (403, "submitted")


def test_clerk_enters_and_submits_through_the_page(world):
    client = client_for(world, "clerk_u1")
    data = {k: v for k, v in good_qh().items() if k != "votes"}
    from elections.models import Candidate

    for c in Candidate.objects.filter(constituency__code="QH1"):
        data[f"votes_{c.pk}"] = good_qh()["votes"][c.code]
    # a broken total is refused with the reason beside the field
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "invalid_ballots": 3, "action": "submit"})
    assert response.status_code == 200
    assert "690" in response.content.decode() and not Tally.objects.exists()
    # a good one is saved and submitted
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "action": "submit"})
    assert response.status_code == 302
    assert Tally.objects.get().status == "submitted"
    # the same request again (a retry) counts once
    response = client.post(f"{BASE}/units/U1/minutes/QH/", {**data, "action": "submit"})
    assert response.status_code == 302
    assert Tally.objects.get().version == 1  # saved and submitted in one step, once
