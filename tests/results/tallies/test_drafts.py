"""A draft is always saved when the clerk asks, complete or not, with what is left to do (issue 16, point 2)."""

import pytest

from elections.models import AuditEntry
from results.models import Tally, TallyDraft
from results.tallies import drafts, records, services
from results.tallies.errors import TallyConflict
from tests.results.conftest import good_qh, payload

pytestmark = pytest.mark.django_db


def typed(**changes):
    """The good QH tally of U1 as typed text; a change of "" leaves a line empty."""
    body = good_qh()
    votes = {code: str(n) for code, n in body["votes"].items()}
    for key in [k for k in changes if k.startswith("votes.")]:
        votes[key.split(".", 1)[1]] = changes.pop(key)
    figures = {k: str(v) for k, v in body.items() if k not in ("votes", "complaints")}
    figures.update(changes)
    return drafts.Typed(figures, votes, body["complaints"])


def test_a_partial_draft_is_kept_as_typed_with_its_empty_lines_listed(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    # given minutes with two lines still empty
    # when the clerk saves the draft
    tally, kept, report = drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(voters_voted="", **{"votes.QH1-03": ""}), version=None, by=clerk
    )
    # then nothing is a tally yet, the typed text is kept, and both empty lines are listed
    assert tally is None and not Tally.objects.exists()
    assert kept is not None and kept.typed["figures"]["voters_voted"] == ""
    assert kept.typed["figures"]["valid_ballots"] == "690" and kept.typed["votes"]["QH1-01"] == "600"
    assert [p.path for p in report.problems] == ["voters_voted", "votes.QH1-03"]
    assert report.refused
    assert records.current_draft(scope_u1_qh, None) == kept
    assert AuditEntry.objects.filter(action="results.tally.draft_kept", object_key="U1/QH/r1.1").count() == 1


def test_a_draft_that_fails_a_check_is_kept_with_the_check_and_its_article(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    tally, kept, report = drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(invalid_ballots="3"), version=None, by=clerk
    )
    assert tally is None and kept is not None
    assert [(f.code, f.severity) for f in report.errors] == [("valid_plus_invalid_not_received", "error")]
    assert report.errors[0].source.startswith("Art. 73")
    assert not Tally.objects.exists()  # a Tally row only ever holds figures that add up


def test_a_complete_lawful_draft_becomes_the_tally_and_the_kept_copy_goes(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    _t, kept, _r = drafts.tally_draft_save(scope=scope_u1_qh, typed=typed(voters_voted=""), version=None, by=clerk)
    # when the clerk completes the line and saves again
    tally, again, report = drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(), version=None, revision=kept.revision, by=clerk
    )
    # then the tally is saved as a draft, and the copy kept as typed is gone
    assert tally is not None and tally.status == "draft" and tally.voters_voted == 700
    assert again is None and not report.refused
    assert not TallyDraft.objects.exists()


def test_a_complete_draft_with_a_warning_is_saved_and_the_warning_reported(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    tally, kept, report = drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(ballots_issued="701"), version=None, by=clerk
    )
    assert tally is not None and kept is None
    assert [f.code for f in report.warnings] == ["issued_differs_from_voted"]


def test_a_partial_draft_over_a_returned_tally_keeps_the_tally_as_it_was(world, scope_u1_qh):
    clerk, board = world.users["clerk_u1"], world.users["board_qh1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    returned = services.tally_return(scope=scope_u1_qh, reason="Kiểm tra lại", by=board)
    _t, kept, _r = drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(valid_ballots=""), version=returned.version, by=clerk
    )
    tally = Tally.objects.get()
    assert (tally.status, tally.version, tally.valid_ballots) == ("returned", returned.version, 690)
    assert kept.based_on_version == returned.version
    assert records.current_draft(scope_u1_qh, tally) == kept


def test_a_draft_cannot_be_saved_over_submitted_minutes(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh()), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, by=clerk)
    with pytest.raises(TallyConflict):
        drafts.tally_draft_save(scope=scope_u1_qh, typed=typed(voters_voted=""), version=2, by=clerk)
    assert not TallyDraft.objects.exists()


def test_a_stale_page_cannot_overwrite_another_clerks_draft(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    _t, first, _r = drafts.tally_draft_save(scope=scope_u1_qh, typed=typed(voters_voted=""), version=None, by=clerk)
    drafts.tally_draft_save(
        scope=scope_u1_qh, typed=typed(ballots_issued=""), version=None, revision=first.revision, by=clerk
    )
    # a page loaded before the second save still holds the first revision
    with pytest.raises(TallyConflict):
        drafts.tally_draft_save(
            scope=scope_u1_qh, typed=typed(valid_ballots=""), version=None, revision=first.revision, by=clerk
        )
    assert TallyDraft.objects.get().typed["figures"]["ballots_issued"] == ""


def test_submitting_the_minutes_forgets_the_kept_draft(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    drafts.tally_draft_save(scope=scope_u1_qh, typed=typed(voters_voted=""), version=None, by=clerk)
    services.tally_submit(scope=scope_u1_qh, payload=payload(good_qh()), by=clerk)
    assert not TallyDraft.objects.exists()


@pytest.mark.parametrize(("text", "words"), [("", drafts.EMPTY), ("-3", drafts.NOT_WHOLE), ("1.5", drafts.NOT_WHOLE),
                                             ("9" * 12, drafts.TOO_LARGE)])  # fmt: skip
def test_each_line_that_is_not_a_count_is_named(world, scope_u1_qh, text, words):
    report = drafts.draft_report(scope_u1_qh, typed(ballots_received=text))
    assert [(p.path, str(p.message)) for p in report.problems] == [("ballots_received", str(words))]
