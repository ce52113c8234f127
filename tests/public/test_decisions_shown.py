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
