"""Opening the second round with its decision (CONTRACT §10): the 7-day deadline, the NEC's annulment (Art. 81)."""

import datetime as dt

import pytest
from django.utils import translation

from core.errors import Invalid
from elections.models import AuditEntry
from results.decisions import further_rounds
from results.models import ConstituencyDecision, ConstituencyRound, Tally
from results.outcomes import constituency as outcomes
from results.permissions import tally_scope
from results.tallies import services
from tests.results.decision_helpers import DECISION, decision
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

NEC = decision(body="Hội đồng bầu cử quốc gia", reference="Nghị quyết số 41/NQ-HĐBCQG", date=dt.date(2021, 5, 27))


def fresh(cons):
    cons.refresh_from_db()
    return outcomes.constituency_outcome(cons)


def low_turnout(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    return world.constituencies["XA1"]


def test_opening_a_round_records_the_decision_with_its_articles(world):
    # given XA1 (a commune council) calling for a re-election
    cons = low_turnout(world)
    # when the committee opens it
    row = further_rounds.round_open(
        constituency=cons,
        kind="re_election",
        voting_day=dt.date(2021, 5, 30),
        decision=DECISION,
        by=world.users["committee_c1"],
    )
    # then the decision is recorded beside the round: Art. 80(3) (with the NEC's consent), deadline Art. 80(4)
    d = ConstituencyDecision.objects.get()
    assert (d.kind, d.round, d.round_opened, d.article) == ("re_election", 1, row, "Art. 80(3), Art. 80(4)")
    assert (d.body, d.reference, d.date) == (DECISION.body, DECISION.reference, DECISION.date)
    entry = AuditEntry.objects.get(action="results.round.opened")
    assert (entry.data["article"], entry.data["deadline_article"]) == ("Art. 80(3)", "Art. 80(4)")
    assert entry.data["decision"] == {"body": DECISION.body, "reference": DECISION.reference, "date": "2021-05-26"}
    assert fresh(cons).decisions == [d]


def test_the_2026_election_refuses_a_voting_day_after_22_march_art_79_3(world):
    # issue 15: for 15/3/2026 the system showed 30/3 and accepted 29/3; Law 83/2025 allows 7 days
    world.election.election_day = dt.date(2026, 3, 15)
    world.election.save()
    load(world.election, *(minutes(u, "QH", qh_votes(600, 340, 330, 320, 300)) for u in ("U1", "U2", "U3")))
    cons = world.constituencies["QH1"]
    assert fresh(cons).deadline == dt.date(2026, 3, 22)
    nec_2026 = decision(body=NEC.body, reference=NEC.reference, date=dt.date(2026, 3, 17))
    opening = {"constituency": cons, "kind": "additional", "decision": nec_2026, "by": world.users["committee_p"]}
    with pytest.raises(further_rounds.VotingDayRefused) as exc:
        further_rounds.round_open(voting_day=dt.date(2026, 3, 29), **opening)
    with translation.override("en"):
        assert "Art. 79(3)" in str(exc.value) and "7 days" in str(exc.value)
    with translation.override("vi"):
        assert "22/03/2026" in str(exc.value)
    assert further_rounds.round_open(voting_day=dt.date(2026, 3, 22), **opening).deadline == dt.date(2026, 3, 22)


def test_the_nec_annuls_a_decided_constituency_and_a_re_election_follows_art_81(world):
    # given XA2 decided
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)))
    cons = world.constituencies["XA2"]
    assert fresh(cons).status == "decided"
    # when the NEC's annulment is recorded
    row = further_rounds.round_open(
        constituency=cons,
        kind="re_election",
        annulment=True,
        voting_day=dt.date(2021, 5, 30),
        decision=NEC,
        by=world.users["committee_d1"],
    )
    # then round 2 is a re-election of every candidate for every seat (Art. 81(2)), not "round 1, attempt 2"
    assert (row.number, row.kind, row.seats, row.candidates.count()) == (2, "re_election", 2, 3)
    o = fresh(cons)
    assert (o.status, o.current.number, o.current.kind, o.round_deadline) == (
        "incomplete",
        2,
        "re_election",
        dt.date(2021, 6, 7),
    )
    (d,) = o.decisions
    assert (d.kind, d.article) == ("annulment", "Art. 81(1), Art. 81(2)")
    entry = AuditEntry.objects.get(action="results.constituency.annulled")
    assert entry.data["annulment"] is True and entry.data["deadline_article"] == "Art. 81(2)"
    assert not AuditEntry.objects.filter(action="results.round.opened").exists()


def test_an_annulment_is_followed_by_a_re_election_only(world):
    cons = low_turnout(world)
    with pytest.raises(Invalid):  # a 400
        further_rounds.round_open(
            constituency=cons,
            kind="additional",
            annulment=True,
            voting_day=dt.date(2021, 5, 30),
            decision=NEC,
            by=world.users["committee_p"],
        )
    assert not ConstituencyRound.objects.exists()


def test_an_annulment_after_a_second_round_is_refused_no_third_round(world):
    cons = low_turnout(world)
    by = world.users["committee_c1"]
    further_rounds.round_open(
        constituency=cons, kind="re_election", voting_day=dt.date(2021, 5, 30), decision=DECISION, by=by
    )
    with pytest.raises(further_rounds.RoundRefused):
        further_rounds.round_open(
            constituency=cons, kind="re_election", annulment=True, voting_day=dt.date(2021, 5, 30), decision=NEC, by=by
        )


# --- the deadline of CONTRACT §10 in the result -----------------------------------------------------------------


def test_the_deadline_is_given_only_while_a_second_round_is_called_for(world):
    # round 1 calling for a re-election: the deadline
    cons = low_turnout(world)
    assert fresh(cons).round_deadline == dt.date(2021, 6, 7)
    # a decided constituency: none
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)))
    assert fresh(world.constituencies["XA2"]).round_deadline is None
    # a plain incomplete one (a unit not counted yet): none
    assert fresh(world.constituencies["XA3"]).round_deadline is None
    # round 2 under way: the deadline
    further_rounds.round_open(
        constituency=cons, kind="re_election", voting_day=dt.date(2021, 5, 30), decision=DECISION, by=None
    )
    assert fresh(cons).round_deadline == dt.date(2021, 6, 7)


def test_the_deadline_is_given_while_an_annulled_unit_votes_again(world):
    # given XA2 decided, then the result of its only unit annulled (Art. 81(1)): a re-vote is called for
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)))
    services.tally_annul(
        scope=tally_scope("world-2021", "U2", "XA"), reason="Vi phạm nghiêm trọng.", by=world.users["committee_d1"]
    )
    o = fresh(world.constituencies["XA2"])
    assert (o.status, o.round_deadline) == ("incomplete", dt.date(2021, 6, 7))
    assert Tally.objects.filter(status="annulled").exists()


def _decided_xa2(world):
    load(world.election, minutes("U2", "XA", xa_votes("XA2", 600, 550, 200)))
    return world.constituencies["XA2"]


@pytest.mark.parametrize("body", ["Ủy ban bầu cử tỉnh P", "Ban bầu cử đơn vị số 2"])
def test_only_the_nec_annuls_art_81_1(world, body):
    cons = _decided_xa2(world)
    with pytest.raises(Invalid) as exc:
        further_rounds.round_open(
            constituency=cons,
            kind="re_election",
            voting_day=dt.date(2021, 5, 30),
            decision=decision(body=body),
            annulment=True,
            by=world.users["committee_p"],
        )
    assert [p.path for p in exc.value.problems] == ["decision.body"]
    with translation.override("en"):
        assert "Art. 81(1)" in str(exc.value)
    assert not ConstituencyRound.objects.exists() and not ConstituencyDecision.objects.exists()
    # the NEC under any of its names, in any case or spacing
    for name in ("Hội đồng Bầu cử quốc gia", "  HỘI ĐỒNG  BẦU CỬ QUỐC GIA ", "HĐBCQG"):
        assert further_rounds.second_rounds.is_nec(name)


@pytest.mark.parametrize(
    ("day", "words"),
    [
        (dt.date(2021, 5, 22), "before election day"),  # the day before 23/5/2021
        (dt.date(2021, 5, 31), "after the voting day it sets"),  # voting day 30/5
    ],
)
def test_a_decision_dated_outside_election_day_to_the_voting_day_is_refused(world, day, words):
    cons = _decided_xa2(world)
    with pytest.raises(Invalid) as exc:
        further_rounds.round_open(
            constituency=cons,
            kind="re_election",
            voting_day=dt.date(2021, 5, 30),
            decision=decision(body="Hội đồng bầu cử quốc gia", date=day),
            annulment=True,
            by=world.users["committee_p"],
        )
    assert [p.path for p in exc.value.problems] == ["decision.date"]
    with translation.override("en"):
        assert words in str(exc.value)
    assert not ConstituencyRound.objects.exists()
    # the boundaries themselves are lawful: election day and the voting day
    for lawful in (dt.date(2021, 5, 23), dt.date(2021, 5, 30)):
        further_rounds.decision_day_check(
            decision(date=lawful),
            election_day=dt.date(2021, 5, 23),
            latest=dt.date(2021, 5, 30),
            latest_is_voting_day=True,
            prefix="decision.",
        )
