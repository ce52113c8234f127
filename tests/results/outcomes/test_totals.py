"""The running sums (RoundTotal) follow every way a tally enters, changes in or leaves the count."""

from elections.models import Candidate
from results.models import RoundTotal
from results.outcomes import totals
from results.permissions import tally_scope
from results.tallies import corrections, services
from tests.results.conftest import good_qh, payload
from tests.results.result_helpers import load, minutes, qh_votes


def qh1(world):
    return RoundTotal.objects.get(constituency=world.constituencies["QH1"], round=1)


def test_approval_correction_and_annulment_move_the_sums(world):
    # given a tally of U1 entered, submitted and approved
    scope = tally_scope("world-2021", "U1", "QH")
    clerk, board = world.users["clerk_u1"], world.users["board_qh1"]
    services.tally_save(scope=scope, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope, by=clerk)
    assert not RoundTotal.objects.exists()  # a submitted tally does not count
    services.tally_approve(scope=scope, by=board)
    row = qh1(world)
    assert (row.counted, row.valid_ballots, row.revision) == (1, 690, 1)
    first = str(Candidate.objects.get(election=world.election, code="QH1-01").pk)
    assert row.votes[first] == 600
    # when a correction is applied, the old figures leave and the new ones come in
    c = corrections.correction_propose(
        scope=scope,
        payload=payload(good_qh(valid_ballots=689, invalid_ballots=11, votes={**good_qh()["votes"], "QH1-01": 599})),
        reason="paper minutes say so",
        by=world.users["committee_p"],
    )
    corrections.correction_decide(scope=scope, correction_id=c.pk, approve=True, by=world.users["committee_d1"])
    row = qh1(world)
    assert (row.counted, row.valid_ballots, row.invalid_ballots, row.votes[first]) == (1, 689, 11, 599)
    # and an annulment takes it out of the count
    services.tally_annul(scope=scope, reason="Art. 81", by=world.users["committee_p"])
    row = qh1(world)
    assert (row.counted, row.valid_ballots, row.votes[first], row.revision) == (0, 0, 0, 3)
    assert totals.totals_mismatches(world.election) == []


def test_an_approved_import_adds_and_a_second_one_changes_nothing(world):
    items = [minutes(u, "QH", qh_votes(400, 300, 200, 100, 50)) for u in ("U1", "U2", "U3")]
    load(world.election, *items)
    row = qh1(world)
    assert (row.counted, row.voters_voted, row.valid_ballots) == (3, 2100, 2070)
    load(world.election, *items)  # the same file again
    assert qh1(world).revision == row.revision
    assert totals.totals_mismatches(world.election) == []


def test_a_submitted_import_counts_only_once_approved(world):
    load(world.election, minutes("U2", "QH", qh_votes(400, 300, 200, 100, 50)), approve=False)
    assert not RoundTotal.objects.exists()
    services.tally_approve(scope=tally_scope("world-2021", "U2", "QH"), by=world.users["board_qh1"])
    assert qh1(world).counted == 1
    assert totals.totals_mismatches(world.election) == []


def test_rebuild_finds_sums_that_drifted(world):
    load(world.election, minutes("U1", "QH", qh_votes(400, 300, 200, 100, 50)))
    RoundTotal.objects.filter(pk=qh1(world).pk).update(valid_ballots=1)  # written behind the services' back
    [problem] = totals.totals_mismatches(world.election)
    assert "round 1" in problem
    revision = qh1(world).revision
    assert totals.totals_rebuild(world.election) == 1
    assert totals.totals_mismatches(world.election) == []
    assert qh1(world).revision > revision  # cached results built on the wrong sums are recomputed
