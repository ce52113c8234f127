"""A published result shows the decisions recorded for its constituency (CONTRACT §10): what was decided, by which
body, its reference and date, and the article, in the reader's language."""

import pytest
from django.test import Client

from results.decisions import closing
from results.publication import services as publication
from tests.results.decision_helpers import decision
from tests.results.result_helpers import load, minutes, qh_votes

DECISION = decision(body="Hội đồng bầu cử quốc gia", reference="Nghị quyết số 40/NQ-HĐBCQG")

pytestmark = pytest.mark.django_db


def page(language):
    prefix = "/en" if language == "en" else ""
    return Client().get(f"{prefix}/public/world-2021/constituencies/QH1/").content.decode()


def test_the_nec_decision_leaving_seats_vacant_is_on_the_public_page(world):
    # given QH1 short of two seats, closed by the NEC's decision not to hold an additional election (Art. 79(1))
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    cons = world.constituencies["QH1"]
    closing.decision_record(constituency=cons, kind="seats_left_vacant", decision=DECISION, by=None)
    assert 'data-testid="decisions"' not in page("en")  # nothing public before publication
    # when two members publish the result
    for member in ("board_qh1", "committee_p"):
        publication.result_publish(constituency=cons, by=world.users[member])
    # then the page names the decision, its body, reference and article
    en, vi = page("en"), page("vi")
    assert 'data-testid="decisions"' in en
    assert "Seats left vacant" in en and DECISION.body in en and DECISION.reference in en and "Art. 79(1)" in en
    assert "Điều 79" in vi and DECISION.reference in vi


def test_the_contest_page_counts_the_seats_a_decision_left_vacant(world):
    # given QH1 short of two seats and published, first with no decision
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    cons = world.constituencies["QH1"]
    for member in ("board_qh1", "committee_p"):
        publication.result_publish(constituency=cons, by=world.users[member])

    def contest_page(prefix=""):
        return Client().get(f"{prefix}/public/world-2021/contests/QH/").content.decode()

    assert 'data-testid="vacant"' not in contest_page("/en")  # still open: nothing is vacant yet
    # when the NEC's decision not to hold an additional election is recorded and the result published again
    closing.decision_record(constituency=cons, kind="seats_left_vacant", decision=DECISION, by=None)
    for member in ("board_qh1", "committee_p"):
        publication.result_publish(constituency=cons, by=world.users[member])
    # then the contest's totals say how many seats stay vacant, in both languages
    vacant = cons.seats - 1
    assert f"({vacant} seats left vacant by recorded decisions)" in contest_page("/en")
    assert f"({vacant} ghế để trống theo quyết định đã ghi nhận)" in contest_page()
