"""Results from approved tallies: counted units, status, rounds, the cache, contest totals (CONTRACT §3)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from api.results import constituency_result_json, contest_result_json
from elections.models import AuditEntry, Candidate
from results.decisions import further_rounds
from results.models import ConstituencyResult, ConstituencyRound, Flag
from results.outcomes import constituency as outcomes
from results.outcomes import contests, rounds
from results.permissions import tally_scope
from results.tallies import corrections, services
from tests.results.conftest import payload
from tests.results.decision_helpers import DECISION, decision
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = pytest.mark.django_db

QH_UNITS = ("U1", "U2", "U3")
DAY = dt.date(2021, 6, 1)


def load_qh(world, votes=(600, 550, 500, 300, 100), units=QH_UNITS, **kw):
    load(world.election, *(minutes(u, "QH", qh_votes(*votes), **kw) for u in units))


def outcome(world, code):
    world.constituencies[code].refresh_from_db()
    return outcomes.constituency_outcome(world.constituencies[code])


# --- counted units and status -------------------------------------------------------------------


def test_a_unit_without_an_approved_tally_leaves_the_constituency_incomplete(world):
    # given two of three units approved
    load_qh(world, units=("U1", "U2"))
    # when
    o = outcome(world, "QH1")
    # then the totals cover the two counted units only, and no one is elected
    assert (o.status, o.current.polling_units, o.current.polling_units_counted) == ("incomplete", 3, 2)
    assert o.current.figures.voters_on_list == 1600
    assert o.current.figures.valid_ballots == 1380
    assert not any(c.elected for c in o.candidates) and o.seats_filled == 0
    assert o.margin is not None and [p.code for p in o.pending] == ["U3"]


def test_a_submitted_tally_is_not_counted(world):
    load_qh(world, units=("U1", "U2"))
    load(world.election, minutes("U3", "QH", qh_votes(600, 550, 500, 300, 100)), approve=False)
    assert outcome(world, "QH1").current.polling_units_counted == 2


def test_every_unit_approved_decides(world):
    load_qh(world)
    o = outcome(world, "QH1")
    api = constituency_result_json(o)
    assert o.status == "decided"
    assert (api["polling_units"], api["polling_units_counted"], api["voters_on_list"]) == (3, 3, 2400)
    assert (api["voters_voted"], api["turnout_pct"], api["valid_ballots"], api["invalid_ballots"]) == (
        2100,
        "87.50",
        2070,
        30,
    )
    assert (api["valid_pct"], api["invalid_pct"]) == ("98.57", "1.43")
    assert [c["code"] for c in api["candidates"]] == ["QH1-01", "QH1-02", "QH1-03", "QH1-04", "QH1-05"]
    assert [c["elected"] for c in api["candidates"]] == [True, True, True, False, False]
    assert api["candidates"][0]["votes"] == 1800 and api["candidates"][0]["pct_of_valid"] == "86.96"
    assert api["seats_filled"] == 3 and api["round"] == 1 and api["round_kind"] == "regular"


def test_candidates_with_equal_votes_follow_ballot_order(world):
    load_qh(world, votes=(400, 600, 600, 600, 100))
    codes = [c.code for c in outcome(world, "QH1").candidates]
    assert codes == ["QH1-02", "QH1-03", "QH1-04", "QH1-01", "QH1-05"]


def test_an_annulled_unit_makes_it_incomplete_until_its_re_vote_is_approved(world):
    load_qh(world)
    assert outcome(world, "QH1").status == "decided"
    services.tally_annul(
        scope=tally_scope(world.election.slug, "U2", "QH"), reason="vi phạm", by=world.users["committee_p"]
    )
    o = outcome(world, "QH1")
    assert (o.status, o.current.polling_units_counted) == ("incomplete", 2)
    assert o.pending[0].annulled and o.margin.annulled_only
    assert any(f.code == "unit_annulled" for f in o.flags)
    # the re-vote (the next attempt) is approved: counted again
    load(world.election, minutes("U2", "QH", qh_votes(600, 550, 500, 300, 100)))
    assert outcome(world, "QH1").status == "decided"
    # and the annulment's flag ("re-vote required") closes itself, audited
    flag = Flag.objects.get(code="unit_annulled")
    assert flag.status == Flag.Status.RESOLVED and "(Điều 81)" in flag.resolution_note
    resolved = AuditEntry.objects.get(action="results.flag.resolved", object_key__endswith="unit_annulled U2")
    assert resolved.data["article"] == "Art. 81(2)"
    # the annulment itself is in the audit log with its legal reference
    annulled = AuditEntry.objects.get(action="results.tally.annulled")
    assert annulled.data == {"reason": "vi phạm", "article": "Art. 81(1)"}


def test_a_correction_of_an_approved_tally_changes_the_cached_result(world):
    load_qh(world)
    before = outcome(world, "QH1")
    assert ConstituencyResult.objects.get(constituency=world.constituencies["QH1"]).status == "decided"
    scope = tally_scope(world.election.slug, "U1", "QH")
    body = minutes("U1", "QH", qh_votes(100, 550, 500, 600, 100))
    correction = corrections.correction_propose(
        scope=scope, payload=payload(body), reason="sai số", by=world.users["committee_p"]
    )
    corrections.correction_decide(
        scope=scope, correction_id=correction.pk, approve=True, by=world.users["committee_d1"]
    )
    after = outcome(world, "QH1")
    assert before.candidates[0].votes == 1800
    assert {c.code: c.votes for c in after.candidates}["QH1-01"] == 1300


def test_the_cached_result_is_served_in_few_queries(world):
    load_qh(world)
    outcome(world, "QH1")
    cons = world.constituencies["QH1"]
    with CaptureQueriesContext(connection) as ctx:
        outcomes.constituency_outcome(cons)
    assert len(ctx.captured_queries) <= 9


# --- the law's boundaries through the database -------------------------------------------------


@pytest.mark.parametrize(("voted", "status"), [(400, "re_election_required"), (401, "decided")])
def test_turnout_of_exactly_half_calls_for_a_re_election(world, voted, status):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", voted - 10, voted - 10, 5), voted=voted))
    o = outcome(world, "XA1")
    assert o.status == status
    if status == "re_election_required":
        assert o.next_round == "re_election"
        assert o.current.reasons[0].params["turnout_pct"] == "50.00"


def test_a_tie_for_the_last_seat_with_the_same_birth_date_is_unresolved(world):
    # XA1: 2 seats; XA1-02 and XA1-03 tie for the second, both born 1970-01-01
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)))
    o = outcome(world, "XA1")
    assert o.status == "tie_unresolved"
    assert [c.code for c in o.candidates if c.elected] == ["XA1-01"]
    assert {c.code for c in o.candidates if c.tied} == {"XA1-02", "XA1-03"}


def test_the_older_candidate_takes_a_tied_last_seat(world):
    Candidate.objects.filter(code="XA1-03").update(date_of_birth=dt.date(1960, 1, 1))
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)))
    o = outcome(world, "XA1")
    assert o.status == "decided"
    assert [c.code for c in o.candidates if c.elected] == ["XA1-01", "XA1-03"]


def test_plurality_rules_have_no_quorum(world):
    world.election.rules = "plurality"
    world.election.save()
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 100, 90, 80), voted=200))
    o = outcome(world, "XA1")
    assert o.status == "decided" and [c.code for c in o.candidates if c.elected] == ["XA1-01", "XA1-02"]


# --- rounds ------------------------------------------------------------------------------------


def test_a_re_election_replaces_round_one(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    committee = world.users["committee_c1"]
    row = further_rounds.round_open(
        constituency=world.constituencies["XA1"], kind="re_election", voting_day=DAY, decision=DECISION, by=committee
    )
    assert (row.number, row.seats, row.candidates.count(), row.deadline) == (2, 2, 3, dt.date(2021, 6, 7))
    cons = world.constituencies["XA1"]
    cons.refresh_from_db()
    assert (cons.current_round, cons.current_round_kind) == (2, "re_election")
    o = outcome(world, "XA1")
    assert (o.status, o.current.number, o.current.kind, o.current.polling_units_counted) == (
        "incomplete",
        2,
        "re_election",
        0,
    )
    assert o.earlier[0].status == "re_election_required"
    # the re-election again fails the quorum: its result stands, no third round
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 380, 370, 5), voted=400))
    o = outcome(world, "XA1")
    assert o.status == "decided" and constituency_result_json(o)["round_kind"] == "re_election"
    assert [c.code for c in o.elected] == ["XA1-01", "XA1-02"]
    assert o.current.reasons[0].code == "turnout_not_over_half_after_re_election"
    entry = AuditEntry.objects.get(action="results.round.opened")
    assert entry.object_key == "XA1" and entry.data["seats"] == 2 and entry.after["round_kind"] == "re_election"


def test_an_additional_election_keeps_round_one_winners(world):
    # QH1 (National Assembly): only QH1-01 has a majority of the 2,070 valid ballots
    load_qh(world, votes=(600, 340, 330, 320, 300))
    o = outcome(world, "QH1")
    assert (o.status, o.seats_filled, o.next_round) == ("additional_election_required", 1, "additional")
    row = further_rounds.round_open(
        constituency=world.constituencies["QH1"],
        kind="additional",
        voting_day=DAY,
        decision=DECISION,
        by=world.users["committee_p"],
    )
    assert row.seats == 2
    assert sorted(row.candidates.values_list("code", flat=True)) == ["QH1-02", "QH1-03", "QH1-04", "QH1-05"]
    # round 2: the winner of round 1 is not on the ballot, so the clerks' minutes leave them out
    load_qh(world, votes=(None, 600, 500, 100, 50))
    o = outcome(world, "QH1")
    api = constituency_result_json(o)
    assert (api["status"], api["round"], api["round_kind"], api["round_seats"]) == ("decided", 2, "additional", 2)
    assert [c["code"] for c in api["candidates"]] == ["QH1-02", "QH1-03", "QH1-04", "QH1-05"]
    assert [c["code"] for c in api["elected_in_earlier_rounds"]] == ["QH1-01"]
    assert api["elected_in_earlier_rounds"][0]["round"] == 1
    assert api["seats_filled"] == 3
    contest = contests.contest_outcome(world.constituencies["QH1"].contest)
    assert contest.seats_filled == 3


def test_an_additional_election_that_fills_too_few_seats_stands(world):
    load_qh(world, votes=(600, 340, 330, 320, 300))
    further_rounds.round_open(
        constituency=world.constituencies["QH1"],
        kind="additional",
        voting_day=DAY,
        decision=DECISION,
        by=world.users["committee_p"],
    )
    load_qh(world, votes=(None, 300, 300, 100, 50))
    o = outcome(world, "QH1")
    assert (o.status, o.seats_filled) == ("decided", 1)
    assert o.current.reasons[-1].code == "no_further_round"


@pytest.mark.parametrize(
    ("votes", "kind", "message"),
    [
        ((600, 550, 500, 300, 100), "re_election", "decided"),
        ((600, 340, 330, 320, 300), "re_election", "additional election required"),
    ],
)
def test_a_round_the_result_does_not_call_for_is_refused(world, votes, kind, message):
    load_qh(world, votes=votes)
    with pytest.raises(further_rounds.RoundRefused) as exc:
        further_rounds.round_open(
            constituency=world.constituencies["QH1"],
            kind=kind,
            voting_day=DAY,
            decision=DECISION,
            by=world.users["committee_p"],
        )
    with translation.override("en"):  # the message is worded in the reader's language when shown
        assert message in str(exc.value.message)
    assert not ConstituencyRound.objects.exists()


def test_there_is_no_third_round(world):
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    by = world.users["committee_c1"]
    further_rounds.round_open(
        constituency=world.constituencies["XA1"], kind="re_election", voting_day=DAY, decision=DECISION, by=by
    )
    with translation.override("en"), pytest.raises(further_rounds.RoundRefused, match="no third round"):
        further_rounds.round_open(
            constituency=world.constituencies["XA1"], kind="re_election", voting_day=DAY, decision=DECISION, by=by
        )


@pytest.mark.parametrize(
    ("late", "refused"),
    [
        (dt.date(2021, 6, 7), False),  # 23 May 2021 + 15 days (2015 text): the last lawful day
        (dt.date(2021, 6, 8), True),  # one day after: refused, naming Art. 80(4)
        (dt.date(2021, 5, 23), False),  # election day itself is not before it
        (dt.date(2021, 5, 22), True),  # before election day
    ],
)
def test_a_voting_day_outside_the_law_is_refused_naming_the_article(world, late, refused):
    # Arts. 79(3), 80(4), 81(2): no later than the deadline after election day; never before it
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 390, 380, 5), voted=400))
    opening = {
        "constituency": world.constituencies["XA1"],
        "kind": "re_election",
        "voting_day": late,
        "decision": decision(date=min(late, DECISION.date)),  # dated no later than the voting day it sets
        "by": world.users["committee_c1"],
    }
    if not refused:
        assert further_rounds.round_open(**opening).voting_day == late
        return
    with pytest.raises(further_rounds.VotingDayRefused) as exc:
        further_rounds.round_open(**opening)
    with translation.override("en"):
        assert "Art. 80(4)" in str(exc.value.message) and exc.value.problems[0].path == "voting_day"
    assert not ConstituencyRound.objects.exists() and not AuditEntry.objects.filter(action="results.round.opened")


def test_the_deadline_follows_the_election_setting(world):
    world.election.second_round_deadline_days = 7
    assert rounds.second_round_deadline(world.election) == dt.date(2021, 5, 30)


@pytest.mark.parametrize(
    ("election_day", "deadline"),
    [
        (dt.date(2026, 3, 15), dt.date(2026, 3, 22)),  # the 2026 election: 7 days (Law 83/2025), not 30/3
        (dt.date(2025, 7, 1), dt.date(2025, 7, 8)),  # the day Law 83/2025 came into force
        (dt.date(2025, 6, 30), dt.date(2025, 7, 15)),  # the day before: 15 days
    ],
)
def test_without_a_setting_the_deadline_is_the_law_in_force_on_election_day(world, election_day, deadline):
    # Arts. 79(3), 80(4), 81(2) as amended: an election with no days of its own follows the law of its day
    world.election.election_day, world.election.second_round_deadline_days = election_day, None
    assert rounds.second_round_deadline(world.election) == deadline


# --- flags, contest, areas -----------------------------------------------------------------------


def test_open_flags_of_the_units_show_in_the_result(world):
    broken = minutes("U1", "QH", qh_votes(600, 550, 500, 300, 100))
    broken["invalid_ballots"] += 1  # valid + invalid is one more than received: an error flag (lenient)
    load(world.election, broken)
    Flag.objects.create(
        election=world.election,
        polling_unit=world.units["U1"],
        code="turnout_series_down",
        severity="warning",
        message="m",
    )
    Flag.objects.create(
        election=world.election,
        polling_unit=world.units["U2"],
        code="old",
        severity="info",
        message="m",
        status="resolved",
    )
    flags = constituency_result_json(outcome(world, "QH1"))["flags"]
    assert [(f["code"], f["polling_unit"]) for f in flags] == [
        ("valid_plus_invalid_not_received", "U1"),
        ("turnout_series_down", "U1"),
    ]
    assert [f["code"] for f in constituency_result_json(outcome(world, "XA2"))["flags"]] == []


def test_contest_totals_are_the_sum_of_its_constituencies(world):
    Candidate.objects.filter(code__in=["XA1-01", "XA2-01"]).update(affiliation="Mặt trận")
    load(
        world.election,
        minutes("U1", "XA", xa_votes("XA1", 600, 500, 100)),
        minutes("U2", "XA", xa_votes("XA2", 600, 450, 100), listed=900, voted=800),
    )
    o = contests.contest_outcome(world.constituencies["XA1"].contest)
    api = contest_result_json(o)
    assert (api["polling_units"], api["polling_units_counted"], api["voters_on_list"]) == (3, 2, 1700)
    assert api["valid_ballots"] == 690 + 790 and api["seats"] == 6 and api["seats_filled"] == 4
    assert [(c["code"], c["status"]) for c in api["constituencies"]] == [
        ("XA1", "decided"),
        ("XA2", "decided"),
        ("XA3", "incomplete"),
    ]
    assert api["affiliations"][0] == {"name": "Mặt trận", "votes": 1200, "pct_of_valid": "81.08", "seats_won": 2}
    assert api["affiliations"][1]["name"] == "" and api["affiliations"][1]["votes"] == 1150
    assert api["status_counts"]["decided"] == 2 and api["published"] is False


def test_area_breakdown_rolls_units_up_the_tree(world):
    load_qh(world, units=("U1", "U2"))
    rows = {
        area.code: (figures.voters_on_list, units, counted)
        for area, figures, units, counted in contests.area_breakdown(world.constituencies["QH1"].contest)
    }
    assert rows == {"D1": (1600, 2, 2), "D2": (0, 1, 0)}


def test_the_cache_upsert_of_many_rows_keeps_publication(world):
    # given 252 cached rows (COPY on PostgreSQL from 200 rows on), one of them published
    from django.db import connection

    from results.outcomes.cache import _write

    def rows(status):
        return [
            (world.election.pk, c.pk, r, "f", status, {"status": status}, None, False)
            for c in world.constituencies.values()
            for r in range(1, 64)
        ]

    _write(rows("incomplete"))
    ConstituencyResult.objects.filter(round=5).update(published=True)
    # when written again in the same transaction
    _write(rows("decided"))
    # then every row is updated and publication is kept
    assert ConstituencyResult.objects.count() == 252
    assert set(ConstituencyResult.objects.values_list("status", flat=True)) == {"decided"}
    assert ConstituencyResult.objects.filter(published=True).count() == 4
    assert connection.vendor in ("postgresql", "sqlite")


def test_a_round_set_by_hand_without_its_row_is_read_as_a_re_election(world):
    # given round 2 set in the admin, with no ConstituencyRound row and an odd kind
    cons = world.constituencies["XA1"]
    cons.current_round, cons.current_round_kind = 2, "?"
    cons.save()
    # then the result still renders: a re-election of the whole list, nothing counted yet
    o = outcome(world, "XA1")
    assert (o.current.number, o.current.kind, o.status) == (2, "re_election", "incomplete")
    assert contests.contest_outcome(cons.contest).constituencies[0].round_kind == "re_election"
