"""Decisions that close a constituency without a further round (CONTRACT §10, Arts. 78(4), 79, 80(4)): pure."""

import pytest

from results.rules import closing
from results.rules import winners as rules
from results.rules.closing import SEATS_LEFT_VACANT, TIE_SETTLED, apply_closing, may_close, tie_settlement_problem

DECIDED = "decided"
ADDITIONAL_REQ = "additional_election_required"
RE_ELECTION_REQ = "re_election_required"
TIE = "tie_unresolved"


@pytest.mark.parametrize(
    ("kind", "status", "round_number", "allowed"),
    [
        # Art. 79(1): the NEC may decide not to hold an additional National Assembly election
        (SEATS_LEFT_VACANT, ADDITIONAL_REQ, 1, True),
        # round 1 calling for a re-election: the re-election is held, nothing closes it
        (SEATS_LEFT_VACANT, RE_ELECTION_REQ, 1, False),
        # an additional election whose turnout is not over half: no second additional election (Art. 79(3))
        (SEATS_LEFT_VACANT, RE_ELECTION_REQ, 2, True),
        (SEATS_LEFT_VACANT, DECIDED, 1, False),
        (SEATS_LEFT_VACANT, "incomplete", 1, False),
        (SEATS_LEFT_VACANT, TIE, 1, False),
        # Art. 78(4): only a tie the age rule cannot settle is settled by a decision
        (TIE_SETTLED, TIE, 1, True),
        (TIE_SETTLED, TIE, 2, True),
        (TIE_SETTLED, DECIDED, 1, False),
        (TIE_SETTLED, ADDITIONAL_REQ, 1, False),
        ("re_election", TIE, 1, False),
    ],
)
def test_which_status_a_decision_may_close(kind, status, round_number, allowed):
    assert may_close(kind, status, round_number) is allowed


@pytest.mark.parametrize(
    ("chosen", "problem"),
    [
        ((5,), None),
        ((5, 8), closing.WRONG_COUNT),  # two for one open seat
        ((), closing.WRONG_COUNT),
        ((2,), closing.NOT_TIED),
        ((5, 5), closing.REPEATED),
    ],
)
def test_a_settlement_names_tied_candidates_filling_exactly_the_open_seats(chosen, problem):
    assert tie_settlement_problem(chosen, tied=(3, 5, 8), open_seats=1) == problem


TIED = rules.Decision(status=TIE, elected=(1,), tied=(2, 3), seats_filled=1)


def test_a_settled_tie_elects_the_named_candidate_and_decides():
    # 2 seats: 1 sure winner, 2 and 3 tied for the last one; the body names 3
    d = apply_closing(TIED, TIE_SETTLED, (3,), seats=2, round_number=1)
    assert (d.status, d.elected, d.tied, d.seats_filled) == (DECIDED, (1, 3), (), 2)


def test_a_settlement_that_no_longer_fits_the_figures_is_ignored():
    # a correction since made the tie go away: the rules' decision stands
    done = rules.Decision(status=DECIDED, elected=(1, 2), seats_filled=2)
    assert apply_closing(done, TIE_SETTLED, (3,), seats=2, round_number=1) is done
    # or the tie now involves other candidates
    other = rules.Decision(status=TIE, elected=(1,), tied=(4, 5), seats_filled=1)
    assert apply_closing(other, TIE_SETTLED, (3,), seats=2, round_number=1) is other


def test_seats_left_vacant_keeps_the_winners_and_decides():
    short = rules.Decision(status=ADDITIONAL_REQ, elected=(1,), seats_filled=1)
    d = apply_closing(short, SEATS_LEFT_VACANT, (), seats=3, round_number=1)
    assert (d.status, d.elected, d.seats_filled) == (DECIDED, (1,), 1)


@pytest.mark.parametrize(
    ("kind", "level", "round_kind", "article"),
    [
        (TIE_SETTLED, "commune_council", "regular", "Art. 78(4)"),
        (SEATS_LEFT_VACANT, "national_assembly", "regular", "Art. 79(1)"),
        (SEATS_LEFT_VACANT, "provincial_council", "regular", "Art. 79(2)"),
        (SEATS_LEFT_VACANT, "national_assembly", "additional", "Art. 79(3)"),
        (SEATS_LEFT_VACANT, "national_assembly", "re_election", "Art. 80(4)"),
    ],
)
def test_each_closing_decision_names_its_article(kind, level, round_kind, article):
    assert closing.closing_article(kind, level=level, round_kind=round_kind) == article
