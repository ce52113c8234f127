"""GET /api/v1/elections/{election}/turnout/ (CONTRACT §9): the shape and the sums."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

URL = "/api/v1/elections/world-2021/turnout/"
KEYS = {
    "election", "published", "published_at", "as_of", "polling_units", "polling_units_reported",
    "voters_on_list", "voters_on_list_total", "voters_voted", "turnout_pct", "areas", "reports", "latest_reports",
}  # fmt: skip
AREA_KEYS = {
    "code", "name", "parent", "depth", "polling_units", "polling_units_reported", "voters_on_list", "voters_voted",
    "turnout_pct",
}  # fmt: skip


def test_the_shape_and_the_sums(published):
    data = Client().get(URL).json()
    assert set(data) == KEYS
    assert all(set(a) == AREA_KEYS for a in data["areas"])
    # at 11:00 only U1 (800 voters) reported 500: 62.50 %; 2 of 3 units listed 800 each
    assert (data["published"], data["as_of"]) == (True, "11:00")
    assert (data["polling_units"], data["polling_units_reported"]) == (3, 1)
    assert (data["voters_on_list"], data["voters_voted"], data["turnout_pct"]) == (800, 500, "62.50")
    assert data["voters_on_list_total"] == 2400
    # the day's series: 09:00 U1 300 + U2 200 of 1,600 = 31.25 %
    assert [(r["at"], r["polling_units_reported"], r["voters_voted"], r["turnout_pct"]) for r in data["reports"]] == [
        ("09:00", 2, 500, "31.25"),
        ("11:00", 1, 500, "62.50"),
    ]
    areas = {a["code"]: a for a in data["areas"]}
    assert (areas["P"]["polling_units"], areas["P"]["voters_voted"], areas["P"]["turnout_pct"]) == (3, 500, "62.50")
    assert (areas["D2"]["polling_units_reported"], areas["D2"]["voters_voted"], areas["D2"]["turnout_pct"]) == (
        0,
        0,
        None,
    )
    assert areas["C1"]["parent"] == "D1" and areas["C1"]["depth"] == 2
    latest = data["latest_reports"]
    assert len(latest) == 3 and set(latest[0]) == {"polling_unit", "area", "at", "voters_voted", "reported_at"}


def test_unknown_election_is_404(db):
    assert Client().get("/api/v1/elections/nope/turnout/").status_code == 404


def test_the_api_needs_no_credentials_and_reads_none(published):
    response = Client(HTTP_AUTHORIZATION="Token not-a-key").get(URL)
    assert response.status_code == 200
    assert "Cookie" not in response.get("Vary", "")
