"""The margin check (beyond the law): can the voters of units not counted change the outcome? Pure."""

import datetime as dt

import pytest

from results.rules.margins import PendingUnit, margin_check
from results.rules.winners import NATIONAL_ASSEMBLY, RE_ELECTION, CandidateInput, ContestInput

OLD, YOUNG = dt.date(1960, 1, 1), dt.date(1980, 1, 1)


def contest(votes, *, seats=2, listed=1000, voted=900, valid=880, kind="regular", born=None):
    born = born or {}
    return ContestInput(
        level=NATIONAL_ASSEMBLY,
        seats=seats,
        voters_on_list=listed,
        voters_voted=voted,
        valid_ballots=valid,
        candidates=tuple(
            CandidateInput(i + 1, v, born.get(i + 1, dt.date(1970, 1, 1)), i + 1) for i, v in enumerate(votes)
        ),
        round_kind=kind,
    )


def pending(*voters, annulled=False):
    return [PendingUnit(f"BY-{i + 7:02d}", v, annulled=annulled) for i, v in enumerate(voters)]


def codes(check):
    return [r.code for r in check.reasons]


def test_the_docstring_example_cannot_change():
    check = margin_check("vn-2015", contest((700, 600, 200)), pending(80))
    assert not check.can_change and codes(check) == ["margin_cannot_change"]
    assert check.pending_voters == 80 and check.baseline.elected == (1, 2)


def test_nothing_pending_changes_nothing():
    check = margin_check("vn-2015", contest((700, 600, 200)), [])
    assert not check.can_change and check.pending_units == ()


def test_unknown_voters_may_change_it():
    check = margin_check("vn-2015", contest((700, 600, 200)), [PendingUnit("BY-07", None)])
    assert check.can_change and codes(check) == ["margin_voters_unknown"]


# Majority line of a winner: it stays elected while 2 x votes > valid + r.
@pytest.mark.parametrize(("b_votes", "can_change"), [(480, False), (479, True)])
def test_a_winner_near_the_majority_line(b_votes, can_change):
    # 2 x 480 = 960 > 880 + 79; 2 x 479 = 958 is not > 959
    check = margin_check("vn-2015", contest((700, b_votes, 100)), pending(79))
    assert check.can_change is can_change
    assert ("margin_majority_winner" in codes(check)) is can_change


# A loser could pass the line and take a seat left unfilled: 2 x votes + r > valid.
@pytest.mark.parametrize(("c_votes", "can_change"), [(400, False), (401, True)])
def test_a_candidate_below_the_line_with_a_seat_unfilled(c_votes, can_change):
    # seats 2, only A qualifies; C: 2 x 400 + 80 = 880 is not > 880; 2 x 401 + 80 = 882 is
    check = margin_check("vn-2015", contest((700, 100, c_votes)), pending(80))
    assert check.baseline.seats_filled == 1
    assert check.can_change is can_change


@pytest.mark.parametrize(("c_votes", "can_change"), [(519, False), (520, True)])
def test_the_last_seat_under_plurality(c_votes, can_change):
    # B has 600; C + 80 reaching 600 ties for the last seat (unresolved): a change
    check = margin_check("plurality", contest((700, 600, c_votes)), pending(80))
    assert check.can_change is can_change
    assert ("margin_last_seat" in codes(check)) is can_change


@pytest.mark.parametrize(("last_born", "can_change"), [(OLD, False), (YOUNG, True)])
def test_equal_votes_at_the_last_seat_go_by_age(last_born, can_change):
    # everyone qualifies; C (born 1970) could reach B's 600 exactly: B keeps it only if older
    check = margin_check("vn-2015", contest((700, 600, 520), valid=800, born={2: last_born}), pending(80))
    assert check.can_change is can_change


def test_a_tie_in_the_counted_figures_can_be_broken():
    check = margin_check("plurality", contest((700, 600, 600)), pending(1))
    assert check.can_change and codes(check) == ["margin_tie"]


@pytest.mark.parametrize(
    ("voted", "r", "can_change", "code"),
    [
        (541, 80, False, None),  # 2 x 541 = 1,082 > 1,080: passes whatever happens
        (540, 80, True, "margin_quorum"),  # exactly half of 1,080 if nobody votes there
        (500, 80, True, "margin_quorum"),  # 500 + 80 = 580 > 540: it can pass
        (499, 2, False, "margin_quorum_fails_anyway"),  # 2 x 501 = 1,002 is not > 1,002
    ],
)
def test_the_quorum(voted, r, can_change, code):
    check = margin_check("vn-2015", contest((480, 440, 10), voted=voted, valid=voted - 10), pending(r))
    assert check.can_change is can_change
    if code:
        assert code in codes(check)


def test_a_re_election_is_recognised_whatever_the_turnout():
    check = margin_check("vn-2015", contest((700, 600, 100), voted=300, valid=290, kind=RE_ELECTION), pending(80))
    assert "margin_quorum" not in codes(check)


def test_a_re_vote_is_marked_as_such():
    assert margin_check("vn-2015", contest((700, 600, 200)), pending(80, annulled=True)).annulled_only
    assert not margin_check("vn-2015", contest((700, 600, 200)), pending(80)).annulled_only
