"""Decisions closing a constituency without a further round (CONTRACT §10): a tie settled, seats left vacant."""

import datetime as dt

import pytest
from django.utils import translation

from elections.models import AuditEntry, Candidate
from results.decisions import closing, further_rounds
from results.decisions.recording import DecisionInvalid
from results.models import ConstituencyDecision, ResultPublication
from results.outcomes import constituency as outcomes
from results.outcomes import contests
from results.publication import services as publication
from tests.results.decision_helpers import DECISION, decision
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

NEC = decision(body="Hội đồng bầu cử quốc gia", reference="Nghị quyết số 40/NQ-HĐBCQG", date=dt.date(2021, 5, 28))


def tie_in_xa1(world):
    """XA1 (2 seats): XA1-01 elected; XA1-02 and XA1-03 tie for the second seat, both born 1970-01-01."""
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)))
    return world.constituencies["XA1"]


def shortfall_in_qh1(world, votes=(600, 340, 330, 320, 300)):
    """QH1 (3 seats, National Assembly): only QH1-01 has a majority: an additional election is called for."""
    load(world.election, *(minutes(u, "QH", qh_votes(*votes)) for u in ("U1", "U2", "U3")))
    return world.constituencies["QH1"]


def fresh(cons):
    cons.refresh_from_db()
    return outcomes.constituency_outcome(cons)


# --- tie_settled ---------------------------------------------------------------------------------------------


def test_a_tie_the_age_rule_cannot_settle_is_decided_by_the_named_candidate_art_78_4(world):
    # given XA1 tie_unresolved
    cons = tie_in_xa1(world)
    assert fresh(cons).status == "tie_unresolved"
    # when the committee records that XA1-03 takes the open seat
    o = closing.decision_record(
        constituency=cons, kind="tie_settled", decision=DECISION, elected=["XA1-03"], by=world.users["committee_c1"]
    )
    # then the result is decided with XA1-01 and XA1-03, and says why with the article
    assert (o.status, o.seats_filled) == ("decided", 2)
    assert [c.code for c in o.elected] == ["XA1-01", "XA1-03"]
    assert o.current.reasons[-1].code == "decision_tie_settled" and o.current.reasons[-1].article == "Art. 78(4)"
    (row,) = o.decisions
    assert (row.kind, row.round, row.article, [c.code for c in row.elected.all()]) == (
        "tie_settled",
        1,
        "Art. 78(4)",
        ["XA1-03"],
    )
    entry = AuditEntry.objects.get(action="results.decision.recorded")
    assert entry.object_key == "XA1" and entry.data["article"] == "Art. 78(4)"
    assert entry.data["decision"]["reference"] == DECISION.reference and entry.data["elected"] == ["XA1-03"]
    assert (entry.before["status"], entry.after["status"]) == ("tie_unresolved", "decided")
    # and the contest's list (the cache the summary minutes read) says decided too
    (summary,) = [s for s in contests.constituency_summaries(world.election) if s.constituency.code == "XA1"]
    assert summary.status == "decided" and summary.seats_filled == 2


def test_a_tie_between_a_year_and_a_full_date_is_settled_by_a_decision(world):
    # CONTRACT §1: "1970" against "1970-06-15" cannot be ordered; the age rule leaves it to the committee
    Candidate.objects.filter(code="XA1-02").update(date_of_birth=dt.date(1970, 1, 1), date_of_birth_precision="year")
    Candidate.objects.filter(code="XA1-03").update(date_of_birth=dt.date(1970, 6, 15))
    cons = tie_in_xa1(world)
    before = fresh(cons)
    assert before.status == "tie_unresolved" and {c.code for c in before.candidates if c.tied} == {"XA1-02", "XA1-03"}
    o = closing.decision_record(
        constituency=cons, kind="tie_settled", decision=DECISION, elected=["XA1-02"], by=world.users["committee_p"]
    )
    assert o.status == "decided" and [c.code for c in o.elected] == ["XA1-01", "XA1-02"]


def test_a_year_certainly_older_than_a_full_date_wins_by_age(world):
    # "1969" is certainly older than 1970-06-15: no decision needed (Art. 78(4))
    Candidate.objects.filter(code="XA1-02").update(date_of_birth=dt.date(1970, 6, 15))
    Candidate.objects.filter(code="XA1-03").update(date_of_birth=dt.date(1969, 1, 1), date_of_birth_precision="year")
    o = fresh(tie_in_xa1(world))
    assert o.status == "decided" and [c.code for c in o.elected] == ["XA1-01", "XA1-03"]


@pytest.mark.parametrize(
    ("elected", "words"),
    [
        (["XA1-01"], "tied"),  # elected already, not tied
        (["XA1-02", "XA1-03"], "exactly 1"),  # two for one open seat
        ([], "exactly 1"),
        (["XA1-02", "XA1-02"], "twice"),
        (["QH1-02"], "Not a candidate of this constituency"),
    ],
)
def test_a_settlement_that_does_not_fill_exactly_the_open_seats_is_refused(world, elected, words):
    cons = tie_in_xa1(world)
    with pytest.raises(DecisionInvalid) as exc:
        closing.decision_record(
            constituency=cons, kind="tie_settled", decision=DECISION, elected=elected, by=world.users["committee_c1"]
        )
    with translation.override("en"):
        assert words in " ".join(str(p.message) for p in exc.value.problems)
    assert exc.value.status == 400 and exc.value.problems[0].path == "elected"
    assert not ConstituencyDecision.objects.exists() and not AuditEntry.objects.filter(
        action="results.decision.recorded"
    )


def test_a_tie_cannot_be_settled_when_the_result_has_none(world):
    cons = shortfall_in_qh1(world, votes=(600, 550, 500, 300, 100))  # decided
    with pytest.raises(closing.DecisionRefused) as exc:
        closing.decision_record(
            constituency=cons, kind="tie_settled", decision=DECISION, elected=["QH1-04"], by=world.users["committee_p"]
        )
    assert exc.value.status == 409
    with translation.override("en"):
        assert "decided" in str(exc.value.message)


def test_a_settled_tie_cannot_be_settled_again(world):
    cons = tie_in_xa1(world)
    by = world.users["committee_c1"]
    closing.decision_record(constituency=cons, kind="tie_settled", decision=DECISION, elected=["XA1-02"], by=by)
    with pytest.raises(closing.DecisionRefused):
        closing.decision_record(constituency=cons, kind="tie_settled", decision=DECISION, elected=["XA1-03"], by=by)
    assert ConstituencyDecision.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "path"),
    [
        (decision(body="   "), "body"),
        (decision(reference=""), "reference"),
        (decision(reason="x" * 4001), "reason"),
    ],
)
def test_a_decision_without_its_body_or_reference_is_refused(world, text, path):
    cons = tie_in_xa1(world)
    with pytest.raises(DecisionInvalid) as exc:
        closing.decision_record(
            constituency=cons, kind="tie_settled", decision=text, elected=["XA1-02"], by=world.users["committee_c1"]
        )
    assert [p.path for p in exc.value.problems] == [path]


# --- seats_left_vacant ---------------------------------------------------------------------------------------


def test_the_nec_deciding_no_additional_election_leaves_the_seats_vacant_art_79_1(world):
    # given QH1 calling for an additional election (1 of 3 seats filled)
    cons = shortfall_in_qh1(world)
    assert fresh(cons).status == "additional_election_required"
    # when the NEC's decision not to hold one is recorded
    o = closing.decision_record(
        constituency=cons, kind="seats_left_vacant", decision=NEC, by=world.users["committee_p"]
    )
    # then QH1 is decided with its one winner and two seats vacant, citing Art. 79(1)
    assert (o.status, o.seats_filled, o.round_deadline, o.next_round) == ("decided", 1, None, None)
    assert o.current.reasons[-1].code == "decision_seats_left_vacant"
    assert o.current.reasons[-1].params["seats_unfilled"] == 2
    assert AuditEntry.objects.get(action="results.decision.recorded").data["article"] == "Art. 79(1)"
    # and no round can be opened any more: the status no longer calls for one
    with pytest.raises(further_rounds.RoundRefused):
        further_rounds.round_open(
            constituency=cons,
            kind="additional",
            voting_day=dt.date(2021, 6, 1),
            decision=NEC,
            by=world.users["committee_p"],
        )


def test_seats_cannot_be_left_vacant_where_a_re_election_is_called_for(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))  # turnout 50 %
    with pytest.raises(closing.DecisionRefused):
        closing.decision_record(
            constituency=world.constituencies["XA1"],
            kind="seats_left_vacant",
            decision=DECISION,
            by=world.users["committee_c1"],
        )


def test_an_additional_election_without_a_quorum_is_closed_by_leaving_the_seats_vacant_art_79_3(world):
    # given QH1's additional election (2 seats) whose turnout is not over half: it calls for another round
    cons = shortfall_in_qh1(world)
    further_rounds.round_open(
        constituency=cons,
        kind="additional",
        voting_day=dt.date(2021, 5, 30),
        decision=NEC,
        by=world.users["committee_p"],
    )
    load(world.election, *(minutes(u, "QH", qh_votes(None, 150, 140, 10, 5), voted=350) for u in ("U1", "U2", "U3")))
    stuck = fresh(cons)
    assert (stuck.status, stuck.current.number, stuck.closing_kinds) == (
        "re_election_required",
        2,
        ("seats_left_vacant",),
    )
    # when the seats are left vacant
    o = closing.decision_record(
        constituency=cons, kind="seats_left_vacant", decision=NEC, by=world.users["committee_p"]
    )
    # then decided: the winner of round 1 stays elected, no one from round 2
    assert (o.status, o.seats_filled, [c.code for c in o.elected]) == ("decided", 1, ["QH1-01"])
    assert [d.kind for d in o.decisions] == ["additional", "seats_left_vacant"]
    assert o.decisions[-1].article == "Art. 79(3)" and o.decisions[-1].round == 2


def test_elected_candidates_are_only_for_a_tie(world):
    with pytest.raises(DecisionInvalid):
        closing.decision_record(
            constituency=shortfall_in_qh1(world),
            kind="seats_left_vacant",
            decision=NEC,
            elected=["QH1-02"],
            by=world.users["committee_p"],
        )


def test_an_unknown_kind_is_refused(world):
    with pytest.raises(DecisionInvalid):
        closing.decision_record(
            constituency=shortfall_in_qh1(world),
            kind="seats_filled_by_lot",
            decision=NEC,
            by=world.users["committee_p"],
        )


# --- a published result ----------------------------------------------------------------------------------------


def test_a_decision_on_a_published_result_publishes_a_correction(world):
    # given XA1 tie_unresolved, published by two members
    cons = tie_in_xa1(world)
    publication.result_publish(constituency=cons, by=world.users["board_xa1"])
    publication.result_publish(constituency=cons, by=world.users["committee_c1"])
    assert ResultPublication.objects.get(constituency=cons).status == "tie_unresolved"
    # when the tie is settled
    closing.decision_record(
        constituency=cons, kind="tie_settled", decision=DECISION, elected=["XA1-02"], by=world.users["committee_c1"]
    )
    # then the public sees the decided result at once, as a correction naming its cause
    latest = ResultPublication.objects.get(constituency=cons, current=True)
    assert (latest.kind, latest.status, latest.cause) == ("correction", "decided", "decision_recorded")
    assert latest.data["decisions"][0]["elected"] == ["XA1-02"]
    assert len(latest.winners) == 2


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2021, 5, 22), "before election day"),
        (dt.datetime.now(dt.UTC).date() + dt.timedelta(days=2), "a day still to come"),  # after today anywhere
    ],
)
def test_a_closing_decision_dated_before_election_day_or_in_the_future_is_refused(world, day, words):
    cons = tie_in_xa1(world)
    with pytest.raises(DecisionInvalid) as exc:
        closing.decision_record(
            constituency=cons,
            kind="tie_settled",
            decision=decision(date=day),
            elected=["XA1-03"],
            by=world.users["committee_c1"],
        )
    assert [p.path for p in exc.value.problems] == ["date"]
    with translation.override("en"):
        assert words in str(exc.value)
    assert not ConstituencyDecision.objects.exists() and fresh(cons).status == "tie_unresolved"
