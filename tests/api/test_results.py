"""The results API (CONTRACT §3): shape, access before and after publication, no 500 on odd input."""

import pytest
from django.test import Client

from results.models import ConstituencyResult
from tests.elections.test_permissions import USERS
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

API = "/api/v1/elections/world-2021"
CONTRACT_KEYS = {
    "election", "contest", "constituency", "seats", "round", "round_kind", "polling_units",
    "polling_units_counted", "voters_on_list", "voters_voted", "turnout_pct", "ballots_issued",
    "ballots_received", "valid_ballots", "invalid_ballots", "valid_pct", "invalid_pct", "candidates",
    "seats_filled", "status", "published", "flags",
}  # fmt: skip
CANDIDATE_KEYS = {"code", "full_name", "date_of_birth", "affiliation", "votes", "pct_of_valid", "elected"}
CONTEST_KEYS = CONTRACT_KEYS - {"constituency", "round", "round_kind", "candidates", "flags", "status"} | {
    "constituencies",
    "affiliations",
}

SEES_QH1 = {"board_qh1", "committee_p", "auditor", "staff", "superuser"}
SEES_XA1 = {"board_xa1", "committee_p", "committee_d1", "committee_c1", "auditor", "staff", "superuser"}
SEES_ALL_XA = {"committee_p", "auditor", "staff", "superuser"}


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.fixture
def counted(world):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)))


def publish(world, code):
    cons = world.constituencies[code]
    ConstituencyResult.objects.update_or_create(
        constituency=cons, round=1, defaults={"election": world.election, "published": True}
    )


def test_the_shape_is_the_contract(world, counted):
    data = client_for(world, "committee_p").get(f"{API}/results/QH1/").json()
    assert set(data) >= CONTRACT_KEYS
    assert all(set(c) == CANDIDATE_KEYS for c in data["candidates"])
    assert (data["election"], data["contest"], data["constituency"], data["seats"]) == ("world-2021", "QH", "QH1", 3)
    assert (data["status"], data["seats_filled"], data["published"]) == ("decided", 3, False)
    assert data["candidates"][0] == {
        "code": "QH1-01",
        "full_name": data["candidates"][0]["full_name"],
        "date_of_birth": "1970-01-01",
        "affiliation": "",
        "votes": 1800,
        "pct_of_valid": "86.96",
        "elected": True,
    }
    assert isinstance(data["turnout_pct"], str) and data["turnout_pct"] == "87.50"


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("code", "allowed"), [("QH1", SEES_QH1), ("XA1", SEES_XA1)])
def test_before_publication_only_the_committees_board_and_staff_see_it(world, counted, username, code, allowed):
    response = client_for(world, username).get(f"{API}/results/{code}/")
    assert response.status_code == (200 if username in allowed else 404)


@pytest.mark.parametrize("username", ["anonymous", "outsider", "clerk_u1", "committee_c1"])
def test_after_publication_everyone_sees_it(world, counted, username):
    publish(world, "QH1")
    response = client_for(world, username).get(f"{API}/results/QH1/")
    assert response.status_code == 200 and response.json()["published"] is True


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("contest", "allowed"), [("QH", SEES_QH1), ("XA", SEES_ALL_XA)])
def test_a_contest_before_publication_is_for_those_who_see_all_of_it(world, counted, username, contest, allowed):
    response = client_for(world, username).get(f"{API}/contests/{contest}/results/")
    assert response.status_code == (200 if username in allowed else 404)


def test_a_contest_is_public_once_every_constituency_is_published(world, counted):
    for code in ("XA1", "XA2", "XA3"):
        publish(world, code)
    data = client_for(world, "anonymous").get(f"{API}/contests/XA/results/").json()
    assert set(data) >= CONTEST_KEYS
    assert [c["code"] for c in data["constituencies"]] == ["XA1", "XA2", "XA3"]
    assert set(data["constituencies"][0]) >= {"code", "status", "seats", "seats_filled"}
    assert all(set(a) >= {"name", "votes", "seats_won"} for a in data["affiliations"])
    assert data["published"] is True and data["polling_units_counted"] == 1


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/elections/nope/results/QH1/",
        f"{API}/results/NOPE/",
        f"{API}/results/%00/",
        f"{API}/contests/NOPE/results/",
        "/api/v1/elections/other-2026/results/QH1/",
    ],
)
def test_unknown_codes_are_not_found(world, counted, url):
    assert client_for(world, "superuser").get(url).status_code in (400, 404)  # a NUL byte is a bad request


def test_an_invalid_token_is_refused(world, counted):
    response = Client(HTTP_AUTHORIZATION="Token nope").get(f"{API}/results/QH1/")
    assert response.status_code == 401
