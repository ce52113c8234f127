"""Every voter-list page and endpoint, for every persona of the `world` fixture: the role matrix as HTTP codes."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from elections.permissions import Action
from tests.elections.test_permissions import EXPECTED, USERS
from tests.voters.conftest import WORLD_ROWS, load
from voters.models import VoterImport

SLUG = "world-2021"
V, E, M = Action.VIEW, Action.ENTER, Action.MANAGE


def unit_slug(code):
    return "other-2026" if code == "U9" else SLUG


def allowed(key, username, action):
    return action in EXPECTED[key].get(username, set())


# (url name, kwargs builder, object key, action needed, method)
UNIT_PAGES = [
    ("voters:unit-list", V, "get"),
    ("voters:voter-add", M, "get"),
    ("voters:certificate-accept", M, "get"),
    ("voters:complaints", M, "get"),
    ("voters:check-in", E, "get"),
    ("voters:unit-post", M, "post"),
]
VOTER_PAGES = [
    ("voters:voter-detail", V, "get"),
    ("voters:voter-remove", M, "post"),
    ("voters:voter-certificate", M, "post"),
]


@pytest.fixture
def loaded(world):
    load(world.election, *WORLD_ROWS)
    return world


def client_for(world, username):
    client = Client()
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


def check(response, username, ok, method):
    if username == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    elif ok:
        assert response.status_code == (302 if method == "post" else 200), response.status_code
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "action", "method"), UNIT_PAGES)
@pytest.mark.parametrize("code", ["U1", "U2", "U3", "U9"])
def test_unit_pages(loaded, username, name, action, method, code):
    url = reverse(name, args=[unit_slug(code), code])
    client = client_for(loaded, username)
    response = client.post(url, {"posted_on": "2021-04-13"}) if method == "post" else client.get(url)
    check(response, username, allowed(("unit", code), username, action), method)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize(("name", "action", "method"), VOTER_PAGES)
@pytest.mark.parametrize("code", ["U1", "U2", "U3"])
def test_voter_pages(loaded, username, name, action, method, code):
    url = reverse(name, args=[SLUG, code, 1])
    client = client_for(loaded, username)
    response = client.post(url, {"version": 1, "reason": "moved"}) if method == "post" else client.get(url)
    check(response, username, allowed(("unit", code), username, action), method)


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("code", ["U1", "U9"])
def test_printable_list(loaded, username, code, django_capture_on_commit_callbacks):
    client = client_for(loaded, username)
    url = reverse("voters:unit-pdf", args=[unit_slug(code), code])
    # the first answer is the progress page; the rendering runs after it (the callbacks run at the block's end)
    with django_capture_on_commit_callbacks(execute=True) as sent:
        response = client.get(url)
    check(response, username, allowed(("unit", code), username, V), "get")
    assert len(sent) == (1 if response.status_code == 200 else 0)
    if response.status_code == 200:
        assert response["Content-Type"].startswith("text/html")
        response = client.get(url)
        assert response["Content-Type"] == "application/pdf"
        assert b"".join(response.streaming_content).startswith(b"%PDF")


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("code", ["P", "D1", "D2", "C1", "C3"])
def test_import_page(world, username, code):
    response = client_for(world, username).get(reverse("voters:import", args=[SLUG, code]))
    check(response, username, allowed(("area", code), username, M), "get")


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("area", ["C1", None])
@pytest.mark.parametrize("suffix", ["", "refused.csv"])
def test_import_reports(world, username, area, suffix):
    batch = VoterImport.objects.create(
        election=world.election,
        area=world.areas[area] if area else None,
        outcome="refused",
        file_name="f.csv",
        sha256="x",
        refused=1,
        refusals=[[3, "national ID must be 12 digits"]],
    )
    name = "voters:import-refused-csv" if suffix else "voters:import-report"
    response = client_for(world, username).get(reverse(name, args=[SLUG, batch.pk]))
    key = ("area", area) if area else ("election", SLUG)
    check(response, username, allowed(key, username, M), "get")


@pytest.mark.parametrize("username", USERS)
def test_complaint_answer(loaded, username):
    from voters import services

    services.voter_list_post(unit=loaded.units["U2"], posted_on=timezone.localdate(), by=None)
    complaint = services.complaint_receive(
        unit=loaded.units["U2"], kind="omitted", complainant="A", text="t", voter=None, by=loaded.users["committee_p"]
    )
    url = reverse("voters:complaint-answer", args=[SLUG, "U2", complaint.pk])
    response = client_for(loaded, username).post(url, {"decision": "rejected", "answer": "no", "version": 1})
    check(response, username, allowed(("unit", "U2"), username, M), "post")


@pytest.mark.parametrize("username", USERS)
def test_public_lookup_answers_everyone(loaded, username):
    client = client_for(loaded, username)
    assert client.get(reverse("voters:lookup", args=[SLUG])).status_code == 200
    response = client.post(
        reverse("api:voter-lookup", args=[SLUG]),
        {"national_id": "079090000004", "date_of_birth": "1985-08-09"},
        content_type="application/json",
        REMOTE_ADDR=f"10.9.{USERS.index(username)}.1",
    )
    assert response.status_code == 200 and response.json()["polling_unit"]["code"] == "U2"
