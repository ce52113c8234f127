"""Warnings warn, errors refuse, and the entry page submits warned minutes once the clerk confirms (issue 16, 1)."""

import pytest

from results.models import Tally
from results.rules import checks
from results.tallies import services
from results.tallies.errors import TallyInvalid, WarningsUnconfirmed
from tests.results.conftest import good_qh, payload

pytestmark = pytest.mark.django_db


def test_warned_minutes_are_not_submitted_unconfirmed(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    # given lawful minutes where ballots issued differ from voters who took part (a warning)
    warned = payload(good_qh(ballots_issued=701))
    # when submitted without the clerk's confirmation, then they are held back with the warning named
    with pytest.raises(WarningsUnconfirmed) as caught:
        services.tally_submit(scope=scope_u1_qh, payload=warned, by=clerk, warnings_confirmed=False)
    assert [f.code for f in caught.value.findings] == ["issued_differs_from_voted"]
    assert not Tally.objects.exists()
    # and once confirmed they are submitted
    tally = services.tally_submit(scope=scope_u1_qh, payload=warned, by=clerk, warnings_confirmed=True)
    assert tally.status == "submitted"


def test_a_saved_draft_with_warnings_also_waits_for_the_confirmation(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    services.tally_save(scope=scope_u1_qh, payload=payload(good_qh(ballots_issued=701)), version=None, by=clerk)
    with pytest.raises(WarningsUnconfirmed):
        services.tally_submit(scope=scope_u1_qh, by=clerk, version=1, warnings_confirmed=False)
    assert Tally.objects.get().status == "draft"


def test_minutes_without_warnings_need_no_confirmation(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    tally = services.tally_submit(scope=scope_u1_qh, payload=payload(good_qh()), by=clerk, warnings_confirmed=False)
    assert tally.status == "submitted"


def test_a_confirmation_never_lets_an_error_through(world, scope_u1_qh):
    clerk = world.users["clerk_u1"]
    with pytest.raises(TallyInvalid):
        services.tally_submit(scope=scope_u1_qh, payload=payload(good_qh(invalid_ballots=3)), by=clerk)
    assert not Tally.objects.exists()


@pytest.mark.parametrize("rules", ["vn-2015", "plurality"])
def test_the_classification_is_the_one_the_checks_apply(rules):
    # given minutes that trip every check at once
    t = checks.TallyInput(
        voters_on_list=10, voters_voted=12, ballots_issued=13, ballots_received=14, valid_ballots=5,
        invalid_ballots=1, votes={"A": 6, "B": 6}, seats=1, loaded_list=11,
    )  # fmt: skip
    found = {f.code: (f.severity, f.source) for f in checks.check_tally(t, rules=rules)}
    # then each finding carries exactly the severity and article the page is given
    classification = checks.classification(rules)
    assert set(found) == set(classification)
    assert found == {code: classification[code] for code in found}


def test_issued_and_list_differences_only_warn_under_the_vietnamese_law():
    classification = checks.classification("vn-2015")
    assert classification["issued_differs_from_voted"][0] == "warning"
    assert classification["list_differs_from_voter_list"][0] == "warning"
    assert classification["valid_plus_invalid_not_received"][0] == "error"
