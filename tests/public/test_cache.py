"""Public answers from the cache: ETag and 304, invalidation by approvals and publications, CDN headers."""

import datetime as dt

import pytest
from django.test import Client

from results.publication import services as publication
from results.tallies import turnout as turnout_reports
from tests.public.conftest import publish
from tests.results.result_helpers import load, minutes, xa_votes

pytestmark = pytest.mark.django_db

HOME = "/public/world-2021/"
PAGES = [
    HOME,
    "/en/public/world-2021/constituencies/XA1/",
    "/public/world-2021/contests/XA/",
    "/public/world-2021/data/results-units.csv",
    "/public/world-2021/data/nist-1500-100.json",
    "/api/v1/elections/world-2021/turnout/",
    "/api/v1/elections/world-2021/results/XA1/",
]


@pytest.mark.parametrize("address", PAGES)
def test_a_conditional_get_that_still_matches_is_304(published, address):
    c = Client()
    first = c.get(address)
    assert first.status_code == 200
    etag = first["ETag"]
    assert first["Cache-Control"].startswith("public, max-age=")
    second = c.get(address, HTTP_IF_NONE_MATCH=etag)
    assert second.status_code == 304
    assert second["ETag"] == etag
    assert second.content == b""
    assert c.get(address, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


@pytest.mark.parametrize("address", [p for p in PAGES if "/results/" not in p])
def test_public_answers_never_depend_on_cookies(published, address):
    c = Client()
    c.cookies["django_language"] = "en"
    c.cookies["sessionid"] = "whatever"
    response = c.get(address)
    assert "Cookie" not in response.get("Vary", "")
    assert "Accept-Language" not in response.get("Vary", "")
    assert not response.cookies


def test_a_publication_invalidates_the_pages(published):
    c = Client()
    before = c.get("/en/public/world-2021/contests/XA/")
    assert before["X-Cache"] == "MISS"
    assert c.get("/en/public/world-2021/contests/XA/")["X-Cache"] == "HIT"
    # XA2 is counted: publishing it changes the contest page at once
    publish(published.world, "XA2", first="committee_d1", second="committee_p")
    after = c.get("/en/public/world-2021/contests/XA/", HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert after["ETag"] != before["ETag"]
    assert b"2 / 3" in after.content  # constituencies published


def test_an_approval_invalidates_the_pages(published):
    c = Client()
    first = c.get("/en/public/world-2021/contests/XA/")
    load(published.world.election, minutes("U3", "XA", xa_votes("XA3", 600, 500, 100)))
    second = c.get("/en/public/world-2021/contests/XA/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 200 and second["X-Cache"] == "MISS"


def test_a_turnout_report_invalidates_turnout_but_not_results(published):
    c = Client()
    turnout = c.get("/api/v1/elections/world-2021/turnout/")
    result = c.get("/api/v1/elections/world-2021/results/XA1/")
    turnout_reports.turnout_report_save(unit=published.world.units["U2"], at=dt.time(11, 0), voters_voted=450, by=None)
    again = c.get("/api/v1/elections/world-2021/turnout/", HTTP_IF_NONE_MATCH=turnout["ETag"])
    assert again.status_code == 200 and again.json()["voters_voted"] == 950
    assert c.get("/api/v1/elections/world-2021/results/XA1/", HTTP_IF_NONE_MATCH=result["ETag"]).status_code == 304


def test_each_language_has_its_own_address_and_etag(published):
    c = Client()
    vi = c.get(HOME)
    en = c.get("/en" + HOME)
    assert vi["Content-Language"] == "vi" and en["Content-Language"] == "en"
    assert vi["ETag"] != en["ETag"]
    assert 'hreflang="en" href="/en/public/world-2021/"' in vi.content.decode()


def test_withdrawing_turnout_hides_it(published):
    publication.turnout_publish(
        election=published.world.election, publish=False, by=published.world.users["committee_p"]
    )
    data = Client().get("/api/v1/elections/world-2021/turnout/").json()
    assert data["published"] is False and data["reports"] == []


def test_the_contest_api_is_public_once_every_constituency_is_published_and_cached(published):
    c = Client()
    assert c.get("/api/v1/elections/world-2021/contests/QH/results/").status_code == 404
    publish(published.world, "QH1", first="board_qh1", second="committee_p")
    first = c.get("/api/v1/elections/world-2021/contests/QH/results/")
    assert first.status_code == 200 and first.json()["published"] is True
    assert first["Cache-Control"].startswith("public")
    again = c.get("/api/v1/elections/world-2021/contests/QH/results/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    insider = Client()
    insider.force_login(published.world.users["committee_p"])
    assert insider.get("/api/v1/elections/world-2021/contests/XA/results/")["Cache-Control"] == "private, no-store"
