"""Rounds and decisions through the API (CONTRACT §10): 201, 409, 400, 403, 404, 401, and the result's fields.

End to end: a `tie_unresolved` constituency closed by a `tie_settled` decision, and an
`additional_election_required` one closed by `seats_left_vacant`; in both, the summary minutes can then be issued.
"""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import translation

from results.minutes import services as minutes_services
from results.models import ConstituencyDecision, ConstituencyRound, Minute
from tests.elections.test_permissions import USERS
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

API = "/api/v1/elections/world-2021/results"
DECISION = {"body": "Hội đồng bầu cử quốc gia", "reference": "Nghị quyết số 40/NQ-HĐBCQG", "date": "2021-05-28"}
DECIDES_QH1 = {"committee_p", "superuser"}  # a committee member above the constituency
SEES_QH1 = {"board_qh1", "auditor", "staff"}  # may see QH1, may not decide for it


class _StubPDF:
    """WeasyPrint without its seconds of layout: these tests check who may issue, not the document."""

    def __init__(self, string: str = "", **kwargs: object) -> None:
        self.string = string

    def write_pdf(self, *args: object, **kwargs: object) -> bytes:
        return b"%PDF-1.7\n% stub\n%%EOF\n"


@pytest.fixture
def quick_pdf(monkeypatch):
    monkeypatch.setattr("results.minutes.rendering.HTML", _StubPDF)


def client_for(world, username, lang="en"):
    client = Client()
    client.cookies["django_language"] = lang
    if username != "anonymous":
        client.force_login(world.users[username])
    return client


def post(client, url, body):
    return client.post(url, json.dumps(body), content_type="application/json")


def shortfall_in_qh1(world):
    """QH1 (3 National Assembly seats): only QH1-01 has a majority: additional_election_required."""
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))


def tie_in_xa(world):
    """XA1 tie_unresolved (XA1-02 and XA1-03, same date of birth, for the second seat); XA2, XA3 decided."""
    load(
        world.election,
        minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)),
        minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)),
        minutes("U3", "XA", xa_votes("XA3", 600, 550, 200)),
    )


def issue_summary(world, contest, area="P"):
    document = minutes_services.summary_document(world.election.contests.get(code=contest), world.areas[area])
    return minutes_services.minutes_issue(
        document=document, inputs={}, by=world.users["committee_p"], base_url="http://testserver/", source="test"
    )


# --- the result carries `deadline` and `decisions` -------------------------------------------------------------


def test_the_result_carries_the_deadline_and_the_decisions(world):
    shortfall_in_qh1(world)
    data = client_for(world, "committee_p").get(f"{API}/QH1/").json()
    # Art. 79(3): 23 May 2021 is under the 2015 text, 15 days
    assert (data["status"], data["deadline"], data["decisions"]) == ("additional_election_required", "2021-06-07", [])


def test_a_decided_result_has_no_deadline(world):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    data = client_for(world, "committee_p").get(f"{API}/QH1/").json()
    assert (data["status"], data["deadline"]) == ("decided", None)


# --- POST .../rounds/ ----------------------------------------------------------------------------------------------


def round_body(**changes):
    return {"kind": "additional", "voting_day": "2021-05-30", "decision": DECISION} | changes


@pytest.mark.parametrize("username", USERS)
def test_who_may_open_a_round(world, username):
    shortfall_in_qh1(world)
    response = post(client_for(world, username), f"{API}/QH1/rounds/", round_body())
    if username == "anonymous":
        expected = 401
    elif username in DECIDES_QH1:
        expected = 201
    elif username in SEES_QH1:
        expected = 403  # the board reports; the committee above decides (Arts. 79-80)
    else:
        expected = 404  # not theirs: exactly like a constituency that does not exist
    assert response.status_code == expected, response.content
    assert ConstituencyRound.objects.exists() is (expected == 201)


def test_opening_an_additional_election_answers_the_round(world):
    shortfall_in_qh1(world)
    response = post(client_for(world, "committee_p"), f"{API}/QH1/rounds/", round_body())
    assert response.status_code == 201
    assert response.json() == {
        "round": 2,
        "round_kind": "additional",
        "seats": 2,  # only the seats left
        "candidates": ["QH1-02", "QH1-03", "QH1-04", "QH1-05"],  # only the candidates not elected
        "voting_day": "2021-05-30",
        "deadline": "2021-06-07",
        "annulment": False,
    }
    result = client_for(world, "committee_p").get(f"{API}/QH1/").json()
    assert (result["round"], result["deadline"]) == (2, "2021-06-07")
    assert result["decisions"] == [
        {
            "kind": "additional",
            **DECISION,
            "reason": "",
            "round": 1,
            "article": "Art. 79(1), Art. 79(3)",
        }
    ]


@pytest.mark.parametrize(
    ("voting_day", "article"),
    [("2021-06-08", "Art. 79(3)"), ("2021-05-22", "Art. 79(3)")],  # after the deadline; before election day
)
def test_a_voting_day_outside_the_law_is_a_400_naming_the_article(world, voting_day, article):
    shortfall_in_qh1(world)
    response = post(client_for(world, "committee_p"), f"{API}/QH1/rounds/", round_body(voting_day=voting_day))
    assert response.status_code == 400
    body = response.json()
    assert article in body["detail"] and "voting_day" in body["errors"]
    assert not ConstituencyRound.objects.exists()


def test_the_refusal_is_in_vietnamese_by_default(world):
    shortfall_in_qh1(world)
    response = post(
        client_for(world, "committee_p", lang="vi"), f"{API}/QH1/rounds/", round_body(voting_day="2021-06-08")
    )
    assert response.status_code == 400 and "07/06/2021" in response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        round_body(kind="re_election"),  # the result calls for an additional election
        round_body(kind="additional"),  # sent twice: the second round exists (checked below)
    ],
)
def test_a_round_the_result_does_not_call_for_is_a_409(world, body):
    shortfall_in_qh1(world)
    client = client_for(world, "committee_p")
    if body["kind"] == "additional":
        assert post(client, f"{API}/QH1/rounds/", body).status_code == 201
    response = post(client, f"{API}/QH1/rounds/", body)
    assert response.status_code == 409 and response.json()["detail"]


@pytest.mark.parametrize(
    "body",
    [
        {},
        [],
        round_body(kind="runoff"),
        round_body(voting_day="30/05/2021"),
        round_body(voting_day=20210530),
        round_body(decision={"body": "", "reference": "x", "date": "2021-05-28"}),
        round_body(decision={"body": "x", "reference": "x"}),
        round_body(annulment="yes"),
        round_body(kind="additional", annulment=True),  # an annulment is followed by a re-election (Art. 81(2))
    ],
)
def test_a_malformed_round_is_a_400(world, body):
    shortfall_in_qh1(world)
    response = post(client_for(world, "committee_p"), f"{API}/QH1/rounds/", body)
    assert response.status_code == 400 and "detail" in response.json()
    assert not ConstituencyRound.objects.exists()


def test_the_nec_annulment_opens_a_re_election_whatever_the_status_art_81(world):
    load(world.election, *(minutes(u, "QH", qh_votes(600, 550, 500, 300, 100)) for u in ("U1", "U2", "U3")))
    body = round_body(kind="re_election", annulment=True)
    response = post(client_for(world, "committee_p"), f"{API}/QH1/rounds/", body)
    assert response.status_code == 201
    assert response.json() | {"candidates": None} == {
        "round": 2,
        "round_kind": "re_election",
        "seats": 3,
        "candidates": None,
        "voting_day": "2021-05-30",
        "deadline": "2021-06-07",
        "annulment": True,
    }
    result = client_for(world, "committee_p").get(f"{API}/QH1/").json()
    assert (result["round_kind"], result["status"], result["decisions"][0]["kind"]) == (
        "re_election",
        "incomplete",
        "annulment",
    )


# --- POST .../decisions/ -------------------------------------------------------------------------------------------


def decision_body(kind="seats_left_vacant", **changes):
    return {"kind": kind, **DECISION, "reason": "Không tổ chức bầu cử thêm."} | changes


@pytest.mark.parametrize("username", USERS)
def test_who_may_record_a_decision(world, username):
    shortfall_in_qh1(world)
    response = post(client_for(world, username), f"{API}/QH1/decisions/", decision_body())
    expected = (
        401 if username == "anonymous" else 201 if username in DECIDES_QH1 else 403 if username in SEES_QH1 else 404
    )
    assert response.status_code == expected, response.content
    assert ConstituencyDecision.objects.exists() is (expected == 201)


def test_a_decision_the_status_does_not_allow_is_a_409(world):
    shortfall_in_qh1(world)
    response = post(
        client_for(world, "committee_p"), f"{API}/QH1/decisions/", decision_body("tie_settled", elected=["QH1-02"])
    )
    assert response.status_code == 409


@pytest.mark.parametrize(
    "body",
    [
        {},
        decision_body(kind="lottery"),
        decision_body(date="28/05/2021"),
        decision_body(reference=""),
        decision_body(elected="XA1-02"),
        decision_body(elected=["QH1-02"]),  # seats_left_vacant names nobody
    ],
)
def test_a_malformed_decision_is_a_400(world, body):
    shortfall_in_qh1(world)
    response = post(client_for(world, "committee_p"), f"{API}/QH1/decisions/", body)
    assert response.status_code == 400 and "detail" in response.json()
    assert not ConstituencyDecision.objects.exists()


def test_settling_a_tie_with_a_candidate_not_tied_is_a_400(world):
    tie_in_xa(world)
    response = post(
        client_for(world, "committee_p"), f"{API}/XA1/decisions/", decision_body("tie_settled", elected=["XA1-01"])
    )
    assert response.status_code == 400 and "elected" in response.json()["errors"]


# --- end to end: the dead ends close and the summary minutes can be issued ---------------------------------------


def test_a_tie_settled_by_decision_lets_the_summary_minutes_be_issued(world, quick_pdf):
    # given the commune council contest XA, with XA1 tied for its last seat
    tie_in_xa(world)
    client = client_for(world, "committee_p")
    assert client.get(f"{API}/XA1/").json()["status"] == "tie_unresolved"
    with pytest.raises(minutes_services.MinutesConflict, match="XA1"), translation.override("en"):
        issue_summary(world, "XA")  # held back by the tie
    # when the committee records who takes the seat
    response = post(client, f"{API}/XA1/decisions/", decision_body("tie_settled", elected=["XA1-03"]))
    # then the result is decided, names the decision, and the summary minutes are issued
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["seats_filled"], data["deadline"]) == ("decided", 2, None)
    assert [c["code"] for c in data["candidates"] if c["elected"]] == ["XA1-01", "XA1-03"]
    (recorded,) = data["decisions"]
    assert recorded == {
        "kind": "tie_settled",
        **DECISION,
        "reason": "Không tổ chức bầu cử thêm.",
        "round": 1,
        "article": "Art. 78(4)",
        "elected": ["XA1-03"],
    }
    assert data["reasons"][-1]["code"] == "decision_tie_settled"
    minute = issue_summary(world, "XA")
    assert minute.kind == Minute.Kind.SUMMARY and minute.version == 1


def test_seats_left_vacant_lets_the_summary_minutes_be_issued(world, quick_pdf):
    # given QH1 calling for an additional election the NEC decides not to hold (Art. 79(1))
    shortfall_in_qh1(world)
    client = client_for(world, "committee_p")
    with pytest.raises(minutes_services.MinutesConflict, match="QH1"):
        issue_summary(world, "QH")
    # when the decision is recorded
    response = post(client, f"{API}/QH1/decisions/", decision_body())
    # then QH1 is decided with one seat filled and two vacant, and the summary minutes are issued
    assert response.status_code == 201
    data = response.json()
    assert (data["status"], data["seats_filled"], data["seats"], data["deadline"]) == ("decided", 1, 3, None)
    assert data["decisions"][0]["article"] == "Art. 79(1)"
    assert issue_summary(world, "QH").version == 1


def test_the_schema_describes_both_operations():
    schema = Client().get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    base = "/api/v1/elections/{election}/results/{constituency}/"
    for path in ("rounds/", "decisions/"):
        responses = schema["paths"][base + path]["post"]["responses"]
        assert {"201", "400", "403", "404", "409"} <= set(responses)
    result = schema["components"]["schemas"]["ConstituencyResultOut"]["properties"]
    assert {"deadline", "decisions"} <= set(result)


def test_a_decision_date_is_kept_as_given(world):
    shortfall_in_qh1(world)
    post(client_for(world, "committee_p"), f"{API}/QH1/decisions/", decision_body())
    assert ConstituencyDecision.objects.get().date == dt.date(2021, 5, 28)


def test_an_additional_election_without_a_quorum_is_closed_through_the_api_then_the_summary_issued(world, quick_pdf):
    """The third dead end (Art. 79(3)): an additional election whose turnout is not over half has no winner and
    no further round; the committee records that the seats stay vacant, and the summary minutes can be issued."""
    shortfall_in_qh1(world)
    committee = client_for(world, "committee_p")
    assert post(committee, f"{API}/QH1/rounds/", round_body()).status_code == 201
    # round 2's minutes, entered and approved through the API: only the ballot's four candidates, 350 of 800 voted
    tally = "/api/v1/elections/world-2021/tallies/{unit}/QH/"
    clerk = client_for(world, "clerk_u1")
    for unit in ("U1", "U2", "U3"):
        body = minutes(unit, "QH", qh_votes(None, 150, 140, 10, 5), voted=350)
        body = {k: v for k, v in body.items() if k not in ("polling_unit", "contest")}
        if unit == "U1":  # the clerk's own unit through the tally API, the others by import
            assert clerk.put(tally.format(unit=unit), body, content_type="application/json").status_code == 201
            assert post(clerk, tally.format(unit=unit) + "submit/", {}).status_code == 200
            assert post(client_for(world, "board_qh1"), tally.format(unit=unit) + "approve/", {}).status_code == 200
        else:
            load(world.election, minutes(unit, "QH", qh_votes(None, 150, 140, 10, 5), voted=350))
    result = committee.get(f"{API}/QH1/").json()
    # stuck: the rules call for another round, which the law does not allow after an additional election
    assert (result["round"], result["round_kind"], result["status"]) == (2, "additional", "re_election_required")
    with pytest.raises(minutes_services.MinutesConflict, match="QH1"):
        issue_summary(world, "QH")
    # when the committee records that the seats stay vacant
    response = post(committee, f"{API}/QH1/decisions/", decision_body())
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["status"], data["seats_filled"]) == ("decided", 1)
    assert data["decisions"][-1]["article"] == "Art. 79(3)" and data["decisions"][-1]["round"] == 2
    # then the summary minutes are issued
    assert issue_summary(world, "QH").version == 1
