"""Correcting an approved tally: a reason, a second committee member, a new version, never an overwrite."""

import pytest

from results.models import TallyCorrection, TallyVersion
from results.tallies import corrections, errors, records, services
from tests.results.conftest import good_qh, payload


@pytest.fixture
def approved(world, scope_u1_qh):
    clerk, board = world.users["clerk_u1"], world.users["board_qh1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    return services.tally_approve(scope=scope_u1_qh, by=board)


def test_correction_needs_a_second_member_and_makes_a_new_version(world, scope_u1_qh, approved):
    first, second = world.users["committee_p"], world.users["committee_d1"]
    fixed = payload(good_qh(valid_ballots=689, invalid_ballots=11))
    # a reason is required
    with pytest.raises(errors.TallyInvalid):
        corrections.correction_propose(scope=scope_u1_qh, payload=fixed, reason=" ", by=first)
    correction = corrections.correction_propose(
        scope=scope_u1_qh, payload=fixed, reason="Biên bản giấy ghi 689 phiếu hợp lệ", by=first
    )
    # the proposer cannot apply it
    with pytest.raises(errors.SeparationOfDuties):
        corrections.correction_decide(scope=scope_u1_qh, correction_id=correction.pk, approve=True, by=first)
    # a second member applies it
    corrections.correction_decide(scope=scope_u1_qh, correction_id=correction.pk, approve=True, by=second)
    tally = records.current_tally(scope_u1_qh)
    assert (tally.valid_ballots, tally.status, tally.version) == (689, "approved", approved.version + 1)
    # the old version is kept
    old = TallyVersion.objects.get(tally=tally, version=approved.version)
    assert old.figures["valid_ballots"] == 690
    assert TallyCorrection.objects.get().status == "applied"


def test_a_correction_must_add_up_and_only_one_waits(world, scope_u1_qh, approved):
    member = world.users["committee_p"]
    with pytest.raises(errors.TallyInvalid):
        corrections.correction_propose(
            scope=scope_u1_qh, payload=payload(good_qh(invalid_ballots=1)), reason="x", by=member
        )
    corrections.correction_propose(scope=scope_u1_qh, payload=payload(good_qh(complaints="a")), reason="x", by=member)
    with pytest.raises(errors.TallyConflict):
        corrections.correction_propose(
            scope=scope_u1_qh, payload=payload(good_qh(complaints="b")), reason="y", by=member
        )


def test_a_rejected_correction_changes_nothing(world, scope_u1_qh, approved):
    c = corrections.correction_propose(
        scope=scope_u1_qh, payload=payload(good_qh(complaints="a")), reason="x", by=world.users["committee_p"]
    )
    corrections.correction_decide(
        scope=scope_u1_qh, correction_id=c.pk, approve=False, by=world.users["committee_d1"], note="không đúng"
    )
    tally = records.current_tally(scope_u1_qh)
    assert (tally.complaints, tally.version) == ("", approved.version)
