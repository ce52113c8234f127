"""Round-aware entry (issue 15, Build 2): in an additional election the clerk types only the candidates on that round's
ballot (Art. 79(3): those not elected at the first election), and the checks use the round's seats, not the
constituency's (Art. 74(1)(c): a valid ballot keeps at most as many names as there are seats to fill)."""

import datetime as dt

import pytest
from django.conf import settings
from django.urls import reverse

from results.decisions import further_rounds
from results.models import ConstituencyRound
from results.tallies import bulk_import
from tests.results.decision_helpers import DECISION
from tests.results.result_helpers import load, minutes, qh_votes

pytestmark = pytest.mark.django_db

URL = "/api/v1/elections/world-2021/tallies/U1/QH/"


def entry_page(client):
    r = client.get(reverse("results:tally-entry", args=["world-2021", "U1", "QH"]))
    assert r.status_code == 200
    return r.content.decode()


@pytest.fixture
def one_seat_left(world):
    """QH1 (3 seats): QH1-01 and QH1-02 win round 1; the NEC opens an additional election for the 1 seat left."""
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    row = further_rounds.round_open(
        constituency=world.constituencies["QH1"],
        kind="additional",
        voting_day=dt.date(2021, 5, 30),
        decision=DECISION,
        by=world.users["committee_p"],
    )
    assert (row.number, row.seats) == (2, 1)
    assert sorted(row.candidates.values_list("code", flat=True)) == ["QH1-03", "QH1-04", "QH1-05"]
    return row


def round_two(**votes):
    body = minutes("U1", "QH", votes, voted=710, invalid=10)  # 700 valid ballots
    return {k: v for k, v in body.items() if k not in ("polling_unit", "contest")}


def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    return client


def test_the_issues_case_2100_votes_on_700_valid_ballots_for_one_seat_is_refused(api, one_seat_left):
    # under the constituency's 3 seats 2,100 would be the limit; the round fills 1 seat: at most 700
    clerk = english(api("clerk_u1"))
    r = clerk.put(URL, round_two(**{"QH1-03": 700, "QH1-04": 700, "QH1-05": 700}), content_type="application/json")
    assert r.status_code == 400, r.json()
    assert "700 x 1 = 700" in str(r.json())
    ok = clerk.put(URL, round_two(**{"QH1-03": 400, "QH1-04": 200, "QH1-05": 100}), content_type="application/json")
    assert ok.status_code == 201, ok.json()
    assert ok.json()["round"] == 2


def test_a_candidate_already_elected_is_not_on_the_additional_elections_ballot_art_79_3(api, one_seat_left):
    clerk = english(api("clerk_u1"))
    body = round_two(**{"QH1-01": 0, "QH1-03": 400, "QH1-04": 200, "QH1-05": 100})
    r = clerk.put(URL, body, content_type="application/json")
    assert r.status_code == 400
    assert "votes.QH1-01" in str(r.json()) and "round 2" in str(r.json())


def test_import_tallies_takes_the_rounds_ballot_and_seats(world, one_seat_left):
    too_many = {**minutes("U1", "QH", {"QH1-03": 700, "QH1-04": 700, "QH1-05": 700}, voted=710, invalid=10)}
    elected = {**minutes("U2", "QH", {"QH1-01": 5, "QH1-03": 400, "QH1-04": 200, "QH1-05": 90}, voted=710)}
    report = bulk_import.tallies_import(
        election=world.election, items=[("[0]", too_many), ("[1]", elected)], approve=True, lenient=False
    )
    paths = {p.path for p in report.problems}
    assert "[1].votes.QH1-01" in paths
    assert any(p.startswith("[0].votes") for p in paths), paths
    good = minutes("U1", "QH", {"QH1-03": 400, "QH1-04": 200, "QH1-05": 90}, voted=710, invalid=10)
    assert not bulk_import.tallies_import(election=world.election, items=[("[0]", good)], approve=True).problems


def test_the_entry_page_of_round_two_shows_only_its_ballot_and_seats(api, one_seat_left):
    html = entry_page(english(api("clerk_u1")))
    assert 'data-testid="round-line"' in html and "Round 2" in html and "additional election" in html
    assert "1 seat left to fill" in html and 'data-seats="1"' in html
    codes = set(ConstituencyRound.objects.get(pk=one_seat_left.pk).candidates.values_list("pk", flat=True))
    for pk in codes:
        assert f'name="votes_{pk}"' in html
    elected = one_seat_left.constituency.candidates.exclude(pk__in=codes)
    assert elected.exists()
    for c in elected:
        assert f'name="votes_{c.pk}"' not in html


def test_round_one_entry_has_no_round_line(api, world):
    html = entry_page(english(api("clerk_u1")))
    assert 'data-testid="round-line"' not in html and 'data-seats="3"' in html
