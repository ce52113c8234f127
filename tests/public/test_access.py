"""Nothing unpublished and no voter's personal data on the public site, its API, downloads or NIST export."""

import re

import pytest
from django.test import Client

from public.opendata import DATASETS
from tests.public.conftest import secret_forms

pytestmark = pytest.mark.django_db

E = "world-2021"


def public_addresses() -> list[str]:
    pages = [
        "/public/",
        f"/public/{E}/",
        f"/public/{E}/areas/P/",
        f"/public/{E}/areas/D1/",
        f"/public/{E}/areas/C1/",
        f"/public/{E}/contests/QH/",
        f"/public/{E}/contests/XA/",
        f"/public/{E}/constituencies/QH1/",
        f"/public/{E}/constituencies/XA1/",
        f"/public/{E}/units/U1/",
        f"/public/{E}/units/U2/",
        f"/public/{E}/data/",
        f"/public/{E}/where-to-vote/",
        f"/public/{E}/data/nist-1500-100.json",
        f"/public/{E}/data/nist-1500-100.json?units=1",
        f"/public/{E}/data/nist-1500-100.json?contest=QH&units=1",
        f"/api/v1/elections/{E}/turnout/",
        f"/api/v1/elections/{E}/results/XA1/",
    ]
    pages += [f"/en{p}" for p in pages if p.startswith("/public/")]
    pages += [f"/public/{E}/data/{name}.{fmt}" for name in DATASETS for fmt in ("csv", "json")]
    return pages


def test_an_unpublished_result_appears_nowhere_public(with_voters):
    anonymous = Client()
    for address in public_addresses():
        response = anonymous.get(address)
        assert response.status_code == 200, address
        body = response.content.decode()
        for secret in secret_forms():
            assert secret not in body, f"{secret} of unpublished QH1 found at {address}"
    # the API and the contest totals refuse it outright
    refused = anonymous.get(f"/api/v1/elections/{E}/results/QH1/")
    assert refused.status_code == 404 and refused.json() == {"detail": "No such constituency"}
    assert anonymous.get(f"/api/v1/elections/{E}/contests/QH/results/").status_code == 404


def test_the_published_result_is_there(with_voters):
    anonymous = Client()
    page = anonymous.get(f"/en/public/{E}/constituencies/XA1/").content.decode()
    assert "600" in page and "Elected" in page
    csv = anonymous.get(f"/public/{E}/data/results-candidates.csv").content.decode()
    assert "XA1-01" in csv and "QH1-01" not in csv
    nist = anonymous.get(f"/public/{E}/data/nist-1500-100.json").json()
    contests = [c["@id"] for c in nist["Election"][0]["Contest"]]
    assert contests == ["contest-XA1"]


def test_no_voter_detail_appears_anywhere_public(with_voters):
    from tests.voters.conftest import WORLD_ROWS

    names = [row.split(",")[1] for row in WORLD_ROWS]
    ids = [row.split(",")[0] for row in WORLD_ROWS]
    births = [row.split(",")[2] for row in WORLD_ROWS]
    anonymous = Client()
    for address in public_addresses():
        body = anonymous.get(address).content.decode()
        for secret in (*names, *ids, *births):
            assert secret not in body, f"voter detail {secret} at {address}"


def test_a_committee_member_gets_the_live_result_never_cached_publicly(with_voters):
    c = Client()
    c.force_login(with_voters.world.users["committee_p"])
    response = c.get(f"/api/v1/elections/{E}/results/QH1/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    assert response.json()["candidates"][0]["votes"] == 1839
    # an outsider who is logged in gets only what the public gets
    outsider = Client()
    outsider.force_login(with_voters.world.users["outsider"])
    assert outsider.get(f"/api/v1/elections/{E}/results/QH1/").status_code == 404
    assert outsider.get(f"/api/v1/elections/{E}/results/XA1/").status_code == 200


def test_turnout_stays_private_until_published(counted):
    import datetime as dt

    from results.tallies import turnout

    turnout.turnout_report_save(unit=counted.world.units["U1"], at=dt.time(9, 0), voters_voted=317, by=None)
    anonymous = Client()
    data = anonymous.get(f"/api/v1/elections/{E}/turnout/").json()
    assert data["published"] is False
    assert data["voters_voted"] is None and data["reports"] == [] and data["latest_reports"] == []
    assert all(a["voters_voted"] is None for a in data["areas"])
    for address in (f"/public/{E}/", f"/public/{E}/units/U1/", f"/public/{E}/data/turnout-units.csv"):
        # 317 as a number of its own: a constituency named "số 2317" (factory sequences) is not a leak
        assert not re.search(r"(?<![\d.,])317(?![\d.,])", anonymous.get(address).content.decode()), address
