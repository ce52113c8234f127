"""The committees' pages for rounds and decisions (CONTRACT §10): who may, form errors naming the article, and the
dead ends closed through the pages until the summary minutes are issued."""

import re

import pytest
from django.conf import settings
from django.test import Client

from elections.models import AuditEntry
from results.models import ConstituencyDecision, ConstituencyRound, Minute
from tests.elections.test_permissions import USERS
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

BASE = "/elections/world-2021"
DECISION = {"body": "Ủy ban bầu cử xã C1", "reference": "Nghị quyết số 3/NQ-UBBC", "date": "27/05/2021", "reason": ""}
DECIDES_XA1 = {"committee_c1", "committee_d1", "committee_p", "superuser"}
SEES_XA1 = {"board_xa1", "auditor", "staff"}


class _StubPDF:
    def __init__(self, string: str = "", **kwargs: object) -> None:
        self.string = string

    def write_pdf(self, *args: object, **kwargs: object) -> bytes:
        return b"%PDF-1.7\n% stub\n%%EOF\n"


@pytest.fixture
def quick_pdf(monkeypatch):
    monkeypatch.setattr("results.minutes.rendering.HTML", _StubPDF)


def client_for(world, username, lang="en"):
    client = Client()
    if lang:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


@pytest.fixture
def tie(world):
    """XA1 tie_unresolved for its second seat; XA2 and XA3 decided: the contest XA waits for XA1 alone."""
    load(
        world.election,
        minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)),
        minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)),
        minutes("U3", "XA", xa_votes("XA3", 600, 550, 200)),
    )


@pytest.fixture
def low_turnout(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))


def expected_status(username, allowed):
    if username == "anonymous":
        return 302  # to the login page
    if username in DECIDES_XA1:
        return allowed
    return 403 if username in SEES_XA1 else 404


@pytest.mark.parametrize("username", USERS)
@pytest.mark.parametrize("page", ["round", "decision"])
def test_who_opens_the_pages(world, tie, username, page):
    response = client_for(world, username).get(f"{BASE}/results/XA1/{page}/")
    assert response.status_code == expected_status(username, 200)


@pytest.mark.parametrize("username", USERS)
def test_who_records_a_decision_through_the_page(world, tie, username):
    body = {"kind": "tie_settled", "elected": ["XA1-02"], **DECISION}
    response = client_for(world, username).post(f"{BASE}/results/XA1/decision/", body)
    assert response.status_code == expected_status(username, 302)
    assert ConstituencyDecision.objects.exists() is (username in DECIDES_XA1)


def test_the_pages_are_in_vietnamese_by_default(world, tie):
    html = client_for(world, "committee_c1", lang=None).get(f"{BASE}/results/XA1/decision/").content.decode()
    assert '<html lang="vi">' in html


@pytest.mark.parametrize("page", ["round", "decision"])
def test_the_pages_need_no_inline_script_or_style(world, tie, page):
    # a strict Content-Security-Policy allows neither
    html = client_for(world, "committee_c1").get(f"{BASE}/results/XA1/{page}/").content.decode()
    assert " style=" not in html and not re.search(r"<script(?![^>]*\bsrc=)", html)


def test_the_result_page_leads_to_the_decision(world, tie):
    html = client_for(world, "committee_c1").get(f"{BASE}/results/XA1/").content.decode()
    assert f'href="{BASE}/results/XA1/decision/"' in html and "Record the decision settling the tie" in html
    # who may only see it gets no link
    html = client_for(world, "board_xa1").get(f"{BASE}/results/XA1/").content.decode()
    assert "/results/XA1/decision/" not in html


def test_a_late_voting_day_is_a_form_error_naming_the_article(world, low_turnout):
    # 23 May 2021 + 15 days (2015 text) = 7 June: 8 June is refused under the field, Art. 80(4)
    body = {"kind": "re_election", "voting_day": "08/06/2021", **DECISION}
    response = client_for(world, "committee_c1").post(f"{BASE}/results/XA1/round/", body)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Art. 80(4)" in html and "errorlist" in html and not ConstituencyRound.objects.exists()


def test_a_round_with_its_decision_through_the_page(world, low_turnout):
    body = {"kind": "re_election", "voting_day": "06/06/2021", **DECISION}
    response = client_for(world, "committee_c1").post(f"{BASE}/results/XA1/round/", body)
    assert response.status_code == 302
    d = ConstituencyDecision.objects.get()
    assert (d.kind, d.body, d.reference) == ("re_election", DECISION["body"], DECISION["reference"])
    html = client_for(world, "committee_c1").get(f"{BASE}/results/XA1/").content.decode()
    assert DECISION["reference"] in html and "Art. 80(3), Art. 80(4)" in html


def test_the_nec_annulment_through_the_page(world, tie):
    body = {"kind": "annulment", "voting_day": "30/05/2021", **DECISION, "body": "Hội đồng Bầu cử quốc gia"}
    response = client_for(world, "committee_p").post(f"{BASE}/results/XA2/round/", body)
    assert response.status_code == 302
    assert ConstituencyDecision.objects.get().kind == "annulment"
    assert AuditEntry.objects.filter(action="results.constituency.annulled").exists()
    # the result page then tells round 1 as annulled (not "decided"), keeps round 1's voter list for round 2
    # (Art. 82) and no margin of "0 of 0 valid ballots"
    page = client_for(world, "committee_p").get(f"{BASE}/results/XA2/").content.decode()
    annulled = re.search(r'data-testid="round-annulled">([^<]*)<', page)
    assert annulled and annulled.group(1) == "annulled by Hội đồng Bầu cử quốc gia (Art. 81)"
    assert re.search(r'data-testid="first-list">800<', page)
    assert 'data-testid="nothing-counted"' in page and "of 0 valid ballots" not in page
    # and its history, from the audit log, names the annulment with its articles and the NEC's decision
    history = page.split('data-testid="history"')[1].split("</section>")[0]
    assert 'data-action="results.constituency.annulled"' in history
    assert (
        "Art. 81(1), Art. 81(2)" in history
        and 'Hội đồng Bầu cử quốc gia, <span class="nw">Nghị quyết số 3/NQ-UBBC</span> · 2021-05-27' in (history)
    )


def test_the_result_page_tells_a_units_re_vote_after_its_annulment_art_81(world):
    from results.permissions import tally_scope
    from results.tallies import services

    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    services.tally_annul(scope=tally_scope(world.election.slug, "U2", "QH"), reason="Gạch xóa phiếu bầu.", by=None)
    before = client_for(world, "committee_p").get(f"{BASE}/results/QH1/").content.decode()
    assert 'data-testid="revotes"' not in before  # not yet voted again
    load(world.election, minutes("U2", "QH", qh_votes(600, 550, 500, 300, 100), voted=720))
    page = client_for(world, "committee_p").get(f"{BASE}/results/QH1/").content.decode()
    notice = page.split('data-testid="revotes"')[1].split("</div>")[0]
    assert "(U2)</a>: the earlier result was annulled and the unit voted again; 720 of 800 voters took part." in notice
    assert "Reason for the annulment: Gạch xóa phiếu bầu." in notice and "Re-vote approved on" in notice
    # the unit's annulment is in the constituency's history, with its article
    history = page.split('data-testid="history"')[1].split("</section>")[0]
    assert 'data-action="results.tally.annulled"' in history and "(U2/QH/r1.1)" in history
    assert "Art. 81(1)" in history


def test_a_tie_settlement_naming_two_for_one_seat_is_a_form_error(world, tie):
    body = {"kind": "tie_settled", "elected": ["XA1-02", "XA1-03"], **DECISION}
    response = client_for(world, "committee_c1").post(f"{BASE}/results/XA1/decision/", body)
    assert response.status_code == 400 and "Name exactly 1" in response.content.decode()
    assert not ConstituencyDecision.objects.exists()


def test_a_decision_the_result_does_not_call_for_shows_no_form(world, low_turnout):
    response = client_for(world, "committee_c1").get(f"{BASE}/results/XA1/decision/")
    assert response.status_code == 200 and 'data-testid="decision-form"' not in response.content.decode()
    posted = client_for(world, "committee_c1").post(
        f"{BASE}/results/XA1/decision/", {"kind": "tie_settled", **DECISION}
    )
    assert posted.status_code == 400 and not ConstituencyDecision.objects.exists()


ISSUE = {"place": "Nhà văn hóa", "m-TOTAL_FORMS": "0", "m-INITIAL_FORMS": "0"}


def test_a_tie_closed_on_the_page_then_the_summary_minutes_issued_on_the_page(world, tie, quick_pdf):
    client = client_for(world, "committee_p")
    summary = f"{BASE}/official-minutes/areas/P/XA/"
    # the summary cannot be issued while XA1 waits for a decision
    client.post(summary, ISSUE)
    assert not Minute.objects.filter(kind=Minute.Kind.SUMMARY).exists()
    # the committee settles the tie on the page
    body = {"kind": "tie_settled", "elected": ["XA1-03"], **DECISION}
    assert client.post(f"{BASE}/results/XA1/decision/", body).status_code == 302
    html = client.get(f"{BASE}/results/XA1/").content.decode()
    assert "result-decided" in html and "Elected by the decision" in html
    # and the summary minutes are issued
    assert client.post(summary, ISSUE).status_code == 302
    assert Minute.objects.filter(kind=Minute.Kind.SUMMARY).count() == 1


def test_seats_left_vacant_on_the_page_then_the_summary_minutes_issued_on_the_page(world, quick_pdf):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    client = client_for(world, "committee_p")
    summary = f"{BASE}/official-minutes/areas/P/QH/"
    client.post(summary, ISSUE)
    assert not Minute.objects.filter(kind=Minute.Kind.SUMMARY).exists()
    html = client.get(f"{BASE}/results/QH1/").content.decode()
    assert "Record the decision leaving the seats vacant" in html
    body = {"kind": "seats_left_vacant", **DECISION}
    assert client.post(f"{BASE}/results/QH1/decision/", body).status_code == 302
    assert client.post(summary, ISSUE).status_code == 302
    assert Minute.objects.filter(kind=Minute.Kind.SUMMARY).count() == 1


def test_an_additional_election_without_a_quorum_closed_on_the_page_then_the_summary_issued(world, quick_pdf):
    """The third dead end (Art. 79(3)): the additional election's turnout is not over half and no further round is
    allowed; the committee records on the page that the seats stay vacant, then issues the summary on the page."""
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    client = client_for(world, "committee_p")
    opened = client.post(
        f"{BASE}/results/QH1/round/",
        {"kind": "additional", "voting_day": "30/05/2021", **DECISION},
    )
    assert opened.status_code == 302, opened.content.decode()[:500]
    load(world.election, *(minutes(u, "QH", qh_votes(None, 150, 140, 10, 5), voted=350) for u in ("U1", "U2", "U3")))
    summary = f"{BASE}/official-minutes/areas/P/QH/"
    client.post(summary, ISSUE)
    assert not Minute.objects.filter(kind=Minute.Kind.SUMMARY).exists()
    body = {"kind": "seats_left_vacant", **DECISION}
    assert client.post(f"{BASE}/results/QH1/decision/", body).status_code == 302
    decision = ConstituencyDecision.objects.get(kind="seats_left_vacant")
    assert (decision.round, decision.article) == (2, "Art. 79(3)")
    assert client.post(summary, ISSUE).status_code == 302
    assert Minute.objects.filter(kind=Minute.Kind.SUMMARY).count() == 1


def test_an_annulment_by_another_body_is_a_form_error_under_the_body_naming_art_81_1(world, tie):
    body = {"kind": "annulment", "voting_day": "30/05/2021", **DECISION}
    client = client_for(world, "committee_p")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    response = client.post(f"{BASE}/results/XA2/round/", body)
    assert response.status_code == 400
    html = response.content.decode()
    under_body = re.search(r'id="id_body">((?:(?!id="id_reference").)*)', html, re.S)  # up to the next field
    assert under_body and "Art. 81(1)" in under_body.group(1) and "National Election Council" in under_body.group(1)
    assert not ConstituencyDecision.objects.exists()


def test_the_second_round_deadline_shows_only_where_the_result_calls_for_one(world, low_turnout):
    """CONTRACT §10: `deadline` is null when no second round is called for; the page said it for every result."""
    client = client_for(world, "committee_p")
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    needed = client.get(f"{BASE}/results/XA1/").content.decode()  # turnout not over half: a re-election
    decided = client.get(f"{BASE}/results/XA2/").content.decode()  # nothing counted: no second round called for
    assert 'data-testid="round-deadline"' in needed and "Deadline for a second round: 2021-06-07" in needed
    assert 'data-testid="round-deadline"' not in decided and "Deadline for a second round" not in decided


def test_each_field_error_is_the_element_its_field_is_described_by(world, tie):
    """A screen reader reads a field's error through aria-describedby: every id it names is on the page."""
    response = client_for(world, "committee_p").post(f"{BASE}/results/XA1/decision/", {"kind": "tie_settled"})
    page = response.content.decode()
    described = re.findall(r'aria-describedby="([^"]+)"', page)
    assert any("id_body_error" in d for d in described)
    for ids in described:
        for one in ids.split():
            assert f'id="{one}"' in page, one
