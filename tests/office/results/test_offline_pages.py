"""Offline first (issue 16): the web app's manifest and service worker, and which pages may be kept on the device."""

import pytest
from django.test import Client

from core.offline import HEADER

pytestmark = pytest.mark.django_db

BASE = "/elections/world-2021"


@pytest.fixture
def clerk(world):
    client = Client()
    client.force_login(world.users["clerk_u1"])
    return client


def test_the_manifest_makes_an_installable_app(client):
    r = client.get("/manifest.webmanifest")
    assert r["Content-Type"] == "application/manifest+json"
    body = r.json()
    assert (body["display"], body["start_url"]) == ("standalone", "/")
    assert {i["sizes"] for i in body["icons"]} == {"192x192", "512x512"}
    for icon in body["icons"]:
        served = client.get(icon["src"])
        assert served.status_code == 200
        served.close()  # a file answer: closed here, not at garbage collection


def test_the_service_worker_is_served_from_the_root_for_the_whole_site(client):
    r = client.get("/sw.js")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/javascript")
    assert r["Service-Worker-Allowed"] == "/"
    text = r.content.decode()
    assert "importScripts(" in text and HEADER in text
    assert r"\/voters\/" in text  # the deny-list


@pytest.mark.parametrize("path", ["/units/U1/", "/units/U1/turnout/", "/units/U1/minutes/QH/"])
def test_the_clerks_entry_pages_opt_in(clerk, path):
    r = clerk.get(BASE + path)
    assert r.status_code == 200
    assert r[HEADER] == "cache"


def test_other_pages_do_not_opt_in(clerk):
    for path in ("/", "/voters/world-2021/", "/accounts/password_change/"):
        assert HEADER not in clerk.get(path)


def test_the_entry_forms_name_the_api_request_they_queue(clerk):
    html = clerk.get(BASE + "/units/U1/minutes/QH/").content.decode()
    assert 'data-offline-api="/api/v1/elections/world-2021/tallies/U1/QH/"' in html
    html = clerk.get(BASE + "/units/U1/turnout/").content.decode()
    assert 'data-offline-api="/api/v1/elections/world-2021/polling-units/U1/turnout/' in html
