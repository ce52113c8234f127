"""Who wins a constituency (Law 85/2015/QH13, Arts. 78-80, and plurality): pure, no database."""

import dataclasses
import datetime as dt
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.rules import winners as rules
from results.rules.winners import CandidateInput, ContestInput, InvalidContest
from tests.results.rules.inputs import MID, NA, cand, contest

PROV = "provincial_council"
DIST = "district_council"
COMM = "commune_council"
OLD = dt.date(1960, 5, 1)
YOUNG = dt.date(1985, 9, 30)


def codes(decision):
    return [r.code for r in decision.reasons]


def reason(decision, code):
    (found,) = [r for r in decision.reasons if r.code == code]
    return found


# --- Art. 78(1): turnout quorum -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("voted", "on_list", "counts"),
    [
        (500, 1000, False),  # exactly half is not over half
        (501, 1000, True),  # half plus one voter
        (499, 999, False),
        (500, 999, True),  # 1,000 > 999
        (0, 0, False),  # an empty list never makes a quorum
        (1, 1, True),
    ],
)
def test_turnout_over_half(voted, on_list, counts):
    assert rules.turnout_over_half(voted, on_list) is counts


def test_turnout_of_exactly_half_calls_for_a_re_election():
    # given 500 of 1,000 voters, and a candidate who would otherwise win
    c = contest(cand(1, 450), on_list=1000, voted=500)
    # when
    d = rules.vn_2015(c)
    # then nobody is elected and the reason carries the figures
    assert d == rules.Decision(status="re_election_required", elected=(), reasons=d.reasons)
    assert d.seats_filled == 0
    assert codes(d) == ["turnout_not_over_half"]
    assert reason(d, "turnout_not_over_half").params == {
        "voters_voted": 500,
        "voters_on_list": 1000,
        "turnout_pct": "50.00",
    }
    assert "Art. 80(1)" in reason(d, "turnout_not_over_half").article


def test_turnout_of_half_plus_one_voter_counts():
    d = rules.vn_2015(contest(cand(1, 450), on_list=1000, voted=501))
    assert d.status == "decided"
    assert d.elected == (1,)
    assert codes(d)[0] == "turnout_over_half"


def test_turnout_message_gives_the_percentage_with_two_decimals():
    d = rules.vn_2015(contest(cand(1, 4000), on_list=10000, voted=4987))
    r = reason(d, "turnout_not_over_half")
    assert "Turnout 49.87 %" in r.message
    assert r.message.endswith(f"({r.article}).")
    assert r.params["turnout_pct"] == "49.87"


@pytest.mark.parametrize("level", [NA, PROV, DIST, COMM])
def test_an_additional_round_that_misses_the_quorum_calls_for_a_re_election(level):
    d = rules.vn_2015(contest(cand(1, 400), level=level, on_list=1000, voted=400, round_kind="additional"))
    assert d.status == "re_election_required"
    assert d.elected == ()


@pytest.mark.parametrize(("voted", "recognised"), [(500, False), (501, True)])
def test_an_additional_election_at_exactly_half_is_not_recognised_and_none_follows_arts_78_1_79_3(voted, recognised):
    """The reason says so, not "re-election required": no second additional election is held (Art. 79(3))."""
    d = rules.vn_2015(contest(cand(1, 450), on_list=1000, voted=voted, round_kind="additional"))
    assert (d.elected == (1,)) == recognised
    if not recognised:
        assert codes(d) == ["turnout_not_over_half_additional"]
        assert reason(d, "turnout_not_over_half_additional").article == "Art. 78(1), Art. 79(3)"
        assert "re-election" not in reason(d, "turnout_not_over_half_additional").message


@pytest.mark.parametrize("level", [NA, COMM])
def test_a_re_election_that_misses_the_quorum_again_is_recognised(level):
    # given a re-election where only 300 of 1,000 voted; 200 of 300 valid for candidate 1
    c = contest(cand(1, 200), cand(2, 90), level=level, on_list=1000, voted=300, round_kind="re_election")
    # when
    d = rules.vn_2015(c)
    # then the result stands: no third round (Art. 80(4))
    assert d.status == "decided"
    assert d.elected == (1,)
    assert codes(d)[0] == "turnout_not_over_half_after_re_election"
    assert reason(d, "turnout_not_over_half_after_re_election").params["turnout_pct"] == "30.00"
    assert reason(d, "turnout_not_over_half_after_re_election").article == "Art. 80(4)"


def test_a_re_election_that_misses_the_quorum_and_fills_no_seat_still_stands():
    c = contest(cand(1, 100), cand(2, 90), level=NA, seats=2, on_list=1000, voted=300, round_kind="re_election")
    d = rules.vn_2015(c)
    assert d.status == "decided"
    assert d.elected == ()
    assert codes(d)[-1] == "no_further_round"


# --- Art. 78(2): more than half of the valid ballots -------------------------------------------


@pytest.mark.parametrize(
    ("votes", "valid", "qualifies"),
    [
        (3, 6, False),  # exactly half
        (4, 7, True),
        (3, 5, True),
        (500, 1000, False),
        (501, 1000, True),  # half plus one
        (0, 0, False),  # no valid ballot: nobody
        (1, 1, True),
    ],
)
def test_has_majority(votes, valid, qualifies):
    assert rules.has_majority(votes, valid) is qualifies


@pytest.mark.parametrize(
    ("votes", "valid", "elected"),
    [
        (500, 1000, ()),  # exactly half of the valid ballots: not elected
        (501, 1000, (1,)),  # half plus one: elected
        (3, 6, ()),
        (4, 7, (1,)),
    ],
)
def test_majority_boundary_in_a_contest(votes, valid, elected):
    c = contest(cand(1, votes), cand(2, valid - votes), on_list=valid, voted=valid, valid=valid)
    assert rules.vn_2015(c).elected == elected


def test_candidate_without_majority_is_told_so_with_figures():
    d = rules.vn_2015(contest(cand(1, 500), cand(2, 300), voted=1000, on_list=1200, valid=1000))
    r = [r for r in d.reasons if r.code == "no_majority" and r.params["candidate"] == 1][0]
    assert r.params == {"candidate": 1, "votes": 500, "valid_ballots": 1000, "pct_of_valid": "50.00"}
    assert r.article == "Art. 78(2)"


def test_zero_valid_ballots_elect_nobody():
    # given a quorum but every ballot invalid
    c = contest(cand(1, 0), cand(2, 0), seats=2, level=COMM, on_list=1000, voted=800, valid=0)
    # when
    d = rules.vn_2015(c)
    # then no seat is filled, which for a council is below two-thirds
    assert d.status == "additional_election_required"
    assert d.elected == ()
    assert {r.params["pct_of_valid"] for r in d.reasons if r.code == "no_majority"} == {"0.00"}


def test_no_candidates_at_all_leaves_the_seats_unfilled():
    d = rules.vn_2015(contest(seats=2, level=NA))
    assert d.status == "additional_election_required"
    assert d.elected == ()


# --- Art. 78(3): more qualifiers than seats -----------------------------------------------------


def test_more_qualifiers_than_seats_go_by_votes():
    # given 3 seats and 4 candidates over half of 1,000 valid ballots (each ballot keeps up to 3 names)
    c = contest(cand(1, 560), cand(2, 900), cand(3, 700), cand(4, 800), seats=3, voted=1000, on_list=1100)
    # when
    d = rules.vn_2015(c)
    # then the three with most votes win, most votes first
    assert d.status == "decided"
    assert d.elected == (2, 4, 3)
    assert d.seats_filled == 3
    assert reason(d, "outranked").params == {"candidate": 1, "votes": 560, "seats": 3}


# --- Art. 78(4): a tie for the last seat goes to the older candidate --------------------------


def test_tie_for_the_last_seat_goes_to_the_older_candidate():
    # given 2 seats; 2 and 3 tie at 600, 3 is older; 3 is also later on the ballot
    c = contest(cand(1, 700), cand(2, 600, born=YOUNG), cand(3, 600, born=OLD), seats=2, valid=1000, voted=1000)
    # when
    d = rules.vn_2015(c)
    # then
    assert d.status == "decided"
    assert d.elected == (1, 3)
    r = reason(d, "tie_broken_by_age")
    assert r.article == "Art. 78(4)"
    assert r.params == {"votes": 600, "seats_left": 1, "candidates": [3, 2], "winners": [3], "losers": [2]}


def test_tie_with_the_same_date_of_birth_is_unresolved():
    c = contest(cand(1, 700), cand(2, 600, born=OLD), cand(3, 600, born=OLD), seats=2, valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert d.status == "tie_unresolved"
    assert d.elected == (1,)
    assert d.tied == (2, 3)
    assert d.seats_filled == 1
    assert reason(d, "tie_unresolved").params == {"votes": 600, "candidates": [2, 3], "seats_left": 1}
    assert "tie_broken_by_age" not in codes(d)


def test_a_tie_inside_the_seats_needs_no_rule():
    # 1 and 2 tie for the first two seats of two: both win whatever their ages
    c = contest(cand(1, 600, born=OLD), cand(2, 600, born=OLD), cand(3, 300), seats=2, valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert d.status == "decided"
    assert set(d.elected) == {1, 2}
    assert "tie_unresolved" not in codes(d)
    assert "tie_broken_by_age" not in codes(d)


def test_a_tie_below_the_majority_is_no_tie_for_a_seat():
    # 2 and 3 tie, but neither has more than half: the seat stays unfilled, no tie to settle
    c = contest(cand(1, 700), cand(2, 500, born=OLD), cand(3, 500, born=OLD), seats=2, level=NA, valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert d.status == "additional_election_required"
    assert d.elected == (1,)
    assert d.tied == ()


@pytest.mark.parametrize(
    ("births", "seats", "status", "elected", "tied"),
    [
        # three tied at 600 for 2 seats, three different dates: the two oldest, older first
        ((YOUNG, OLD, MID), 2, "decided", (2, 3), ()),
        # three tied for 1 seat, three different dates: the oldest
        ((YOUNG, OLD, MID), 1, "decided", (2,), ()),
        # all born the same day: nothing settles it
        ((MID, MID, MID), 2, "tie_unresolved", (), (1, 2, 3)),
        ((MID, MID, MID), 1, "tie_unresolved", (), (1, 2, 3)),
        # the oldest wins one seat; the other two share a date for the last
        ((OLD, MID, MID), 2, "tie_unresolved", (1,), (2, 3)),
        # the two oldest share a date and there are two seats: both win
        ((OLD, OLD, YOUNG), 2, "decided", (1, 2), ()),
        # the two oldest share a date for one seat: they are tied, the youngest is out
        ((OLD, OLD, YOUNG), 1, "tie_unresolved", (), (1, 2)),
        # the youngest two share a date, the oldest takes the one seat
        ((OLD, YOUNG, YOUNG), 1, "decided", (1,), ()),
    ],
)
def test_three_way_ties(births, seats, status, elected, tied):
    # given three candidates with 600 of 1,000 valid ballots each
    c = contest(*(cand(i, 600, born=b) for i, b in enumerate(births, start=1)), seats=seats, valid=1000, voted=1000)
    # when
    d = rules.vn_2015(c)
    # then
    assert (d.status, d.elected, d.tied) == (status, elected, tied)


def test_three_way_tie_names_the_younger_candidate_who_is_out():
    c = contest(cand(1, 600, born=OLD), cand(2, 600, born=OLD), cand(3, 600, born=YOUNG), valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert reason(d, "tie_broken_by_age").params["losers"] == [3]
    assert reason(d, "tie_unresolved").params["candidates"] == [1, 2]


@pytest.mark.parametrize(
    ("first_born", "second_born", "winner"),
    [
        # full dates (a date known only in part: tests/results/rules/test_partial_date_ties.py, CONTRACT §1)
        (dt.date(1968, 3, 14), dt.date(1968, 3, 1), 2),
        (dt.date(1968, 3, 1), dt.date(1968, 1, 1), 2),
        # one day apart is enough
        (dt.date(1968, 3, 1), dt.date(1968, 3, 2), 1),
    ],
)
def test_full_birth_dates_a_day_apart_settle_a_tie(first_born, second_born, winner):
    c = contest(cand(1, 600, born=first_born), cand(2, 600, born=second_born), seats=1, valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert d.status == "decided"
    assert d.elected == (winner,)


def test_the_same_full_date_of_birth_cannot_be_told_apart():
    # the same day: the committee decides
    c = contest(cand(1, 600, born=dt.date(1968, 1, 1)), cand(2, 600, born=dt.date(1968, 1, 1)), valid=1000, voted=1000)
    d = rules.vn_2015(c)
    assert d.status == "tie_unresolved"
    assert d.tied == (1, 2)


def test_ballot_order_never_settles_a_tie():
    # the same tie with the ballot order reversed: still unresolved, same candidates
    first = contest(cand(1, 600, order=1), cand(2, 600, order=2), valid=1000, voted=1000)
    second = contest(cand(1, 600, order=2), cand(2, 600, order=1), valid=1000, voted=1000)
    assert rules.vn_2015(first).status == rules.vn_2015(second).status == "tie_unresolved"
    assert set(rules.vn_2015(first).tied) == set(rules.vn_2015(second).tied) == {1, 2}


# --- Art. 79: unfilled seats ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("filled", "seats", "below"),
    [
        (2, 3, False),  # exactly two-thirds: enough
        (1, 3, True),
        (3, 5, True),  # 9 < 10
        (4, 5, False),
        (4, 6, False),  # exactly two-thirds again
        (3, 6, True),
        (0, 1, True),
        (1, 1, False),
    ],
)
def test_below_two_thirds(filled, seats, below):
    assert rules.below_two_thirds(filled, seats) is below


def winners_and_losers(filled, seats):
    """`filled` candidates over half of 1,000 valid ballots, and one more under half per empty seat."""
    winners = [cand(i, 600 + i) for i in range(1, filled + 1)]
    losers = [cand(100 + i, 400) for i in range(seats - filled)]
    return winners + losers


@pytest.mark.parametrize(
    ("level", "seats", "filled", "status", "last_code"),
    [
        (COMM, 3, 2, "decided", "seats_vacant_no_action"),  # exactly two-thirds: the seat stays vacant
        (COMM, 5, 3, "additional_election_required", "seats_unfilled_below_two_thirds"),  # 9 < 10
        (COMM, 3, 1, "additional_election_required", "seats_unfilled_below_two_thirds"),
        (PROV, 5, 4, "decided", "seats_vacant_no_action"),
        (DIST, 4, 2, "additional_election_required", "seats_unfilled_below_two_thirds"),  # 6 < 8
        (PROV, 2, 1, "additional_election_required", "seats_unfilled_below_two_thirds"),  # 3 < 4
        (NA, 3, 2, "additional_election_required", "seats_unfilled_additional_election"),  # one seat short
        (NA, 1, 0, "additional_election_required", "seats_unfilled_additional_election"),
        (NA, 2, 2, "decided", "elected"),
    ],
)
def test_unfilled_seats(level, seats, filled, status, last_code):
    # given `filled` candidates over half, the others under it
    c = contest(*winners_and_losers(filled, seats), level=level, seats=seats, voted=1000, on_list=1100)
    # when
    d = rules.vn_2015(c)
    # then
    assert d.status == status
    assert d.seats_filled == len(d.elected) == filled
    last = [r for r in d.reasons if r.code not in {"no_majority"}][-1]
    assert last.code == last_code
    if last_code != "elected":
        assert last.params == {"seats": seats, "seats_filled": filled, "seats_unfilled": seats - filled}


@pytest.mark.parametrize("level", [NA, PROV, DIST, COMM])
def test_an_additional_election_that_still_leaves_seats_unfilled_is_final(level):
    # given an additional round for 2 seats left, where only one candidate passes half
    c = contest(cand(1, 700), cand(2, 300), cand(3, 200), level=level, seats=2, round_kind="additional", voted=1000)
    # when
    d = rules.vn_2015(c)
    # then no second additional election (Art. 79(3))
    assert d.status == "decided"
    assert d.elected == (1,)
    r = reason(d, "no_further_round")
    assert r.article == "Art. 79(3)"
    assert r.params == {"seats": 2, "seats_filled": 1, "seats_unfilled": 1}
    assert reason(d, "elected").article == "Art. 79(3)"


def test_a_re_election_with_a_quorum_that_leaves_seats_unfilled_is_final():
    c = contest(cand(1, 700), cand(2, 300), level=NA, seats=2, round_kind="re_election", voted=1000, on_list=1500)
    d = rules.vn_2015(c)
    assert d.status == "decided"
    assert codes(d)[0] == "turnout_over_half"
    assert reason(d, "no_further_round").article == "Art. 80(4)"


def test_every_vn_2015_reason_cites_an_article_in_its_message():
    c = contest(cand(1, 700), cand(2, 600, born=OLD), cand(3, 600), cand(4, 100), seats=2, level=NA, voted=1000)
    d = rules.vn_2015(c)
    assert codes(d) == ["turnout_over_half", "elected", "elected", "no_majority", "tie_broken_by_age"]
    for r in d.reasons:
        assert r.article.startswith("Art. ")
        assert r.message.endswith(f"({r.article}).")
        assert r.message[0].isupper()


# --- plurality -----------------------------------------------------------------------------------


def test_plurality_has_no_quorum_and_no_majority():
    # 10 % turnout and 30 % of the valid ballots still win
    c = contest(cand(1, 30), cand(2, 25), cand(3, 20), cand(4, 25), on_list=1000, voted=100, valid=100)
    d = rules.plurality(c)
    assert d.status == "decided"
    assert d.elected == (1,)
    assert d.seats_filled == 1
    assert codes(d) == ["elected"]


@pytest.mark.parametrize(
    ("votes", "seats", "status", "elected", "tied"),
    [
        ((50, 40, 40), 2, "tie_unresolved", (1,), (2, 3)),  # tie across the last seat
        ((50, 40, 30), 2, "decided", (1, 2), ()),
        ((40, 40, 30), 2, "decided", (1, 2), ()),  # tie inside the seats
        ((40, 40, 40), 2, "tie_unresolved", (), (1, 2, 3)),  # three-way tie for two seats
        ((40, 40, 40), 3, "decided", (1, 2, 3), ()),
        ((40, 40), 3, "decided", (1, 2), ()),  # fewer candidates than seats: all elected
        ((0, 0), 1, "tie_unresolved", (), (1, 2)),  # zero valid ballots
        ((0,), 1, "decided", (1,), ()),
        ((), 1, "decided", (), ()),
    ],
)
def test_plurality(votes, seats, status, elected, tied):
    c = contest(*(cand(i, v) for i, v in enumerate(votes, start=1)), seats=seats, valid=sum(votes))
    d = rules.plurality(c)
    assert (d.status, d.elected, d.tied, d.seats_filled) == (status, elected, tied, len(elected))


def test_plurality_ignores_age():
    c = contest(cand(1, 40, born=YOUNG), cand(2, 40, born=OLD), valid=80)
    d = rules.plurality(c)
    assert d.status == "tie_unresolved"
    assert d.tied == (1, 2)
    assert reason(d, "tie_unresolved").params == {"votes": 40, "candidates": [1, 2], "seats_left": 1}


# --- decide, RULES and input checks --------------------------------------------------------------


def test_decide_picks_the_rule_set_by_name():
    c = contest(cand(1, 40), cand(2, 30), cand(3, 30), on_list=150, voted=100)
    assert rules.decide("vn-2015", c).status == "additional_election_required"  # 40 of 100 is no majority
    assert rules.decide("plurality", c).elected == (1,)


def test_decide_refuses_an_unknown_rule_set():
    with pytest.raises(KeyError, match="unknown rule set"):
        rules.decide("borda", contest(cand(1, 1)))


def test_names_match_the_models():
    from elections.models import Level, RuleSet

    assert set(RuleSet.values) == set(rules.RULES)
    assert set(Level.values) == rules.LEVELS


@pytest.mark.parametrize(
    "change",
    [
        {"level": "senate"},
        {"round_kind": "runoff"},
        {"seats": 0},
        {"voters_on_list": -1},
        {"voters_voted": -1},
        {"valid_ballots": -1},
        {"candidates": (cand(1, 5), cand(1, 6))},  # the same id twice
        {"candidates": (cand(1, -5),)},
    ],
)
def test_contest_input_refuses_impossible_figures(change):
    fields = dataclasses.asdict(contest(cand(1, 5))) | {"candidates": (cand(1, 5),)} | change
    with pytest.raises(InvalidContest):
        ContestInput(**fields)


def test_contest_input_keeps_candidates_as_a_tuple():
    as_list: Any = [cand(1, 5)]
    c = ContestInput(level=NA, seats=1, voters_on_list=10, voters_voted=8, valid_ballots=8, candidates=as_list)
    assert c.candidates == (cand(1, 5),)


# --- properties ----------------------------------------------------------------------------------

BIRTHS = [dt.date(1960, 1, 1), dt.date(1960, 3, 1), dt.date(1968, 3, 14), dt.date(1975, 12, 31)]


@st.composite
def contests(draw):
    """Small contests with many equal votes and shared birth dates, so that ties are common."""
    valid = draw(st.integers(min_value=0, max_value=40))
    voted = valid + draw(st.integers(min_value=0, max_value=5))
    on_list = voted + draw(st.integers(min_value=0, max_value=2 * voted + 2))
    n = draw(st.integers(min_value=0, max_value=8))
    vote_pool = [0, valid // 2, valid // 2 + 1, valid]
    candidates = tuple(
        CandidateInput(
            id=i,
            votes=draw(st.sampled_from(vote_pool) | st.integers(min_value=0, max_value=valid)),
            born=draw(st.sampled_from(BIRTHS)),
            ballot_order=draw(st.integers(min_value=1, max_value=10)),
        )
        for i in range(1, n + 1)
    )
    return ContestInput(
        level=draw(st.sampled_from([NA, PROV, DIST, COMM])),
        seats=draw(st.integers(min_value=1, max_value=5)),
        voters_on_list=on_list,
        voters_voted=voted,
        valid_ballots=valid,
        candidates=candidates,
        round_kind=draw(st.sampled_from(["regular", "additional", "re_election"])),
    )


def by_id(c):
    return {x.id: x for x in c.candidates}


@given(c=contests())
def test_vn_2015_properties(c):
    d = rules.vn_2015(c)
    cands = by_id(c)
    elected = [cands[i] for i in d.elected]
    tied = [cands[i] for i in d.tied]
    others = [x for x in c.candidates if x.id not in d.elected and x.id not in d.tied]

    assert len(d.elected) <= c.seats
    assert d.seats_filled == len(d.elected)
    assert len(set(d.elected) | set(d.tied)) == len(d.elected) + len(d.tied)
    # Art. 78(2): every winner and everyone in contention has more than half of the valid ballots
    assert all(2 * x.votes > c.valid_ballots for x in elected + tied)
    # most votes first; equal votes: older first
    assert [(-x.votes, x.born) for x in elected] == sorted((-x.votes, x.born) for x in elected)
    # nobody left out has more votes than a winner; with equal votes, nobody left out is older
    for out in others:
        for winner in elected:
            assert out.votes <= winner.votes
            if out.votes == winner.votes:
                assert out.born >= winner.born
    if d.status == "tie_unresolved":
        assert len({x.votes for x in tied}) == 1
        assert len({x.born for x in tied}) == 1  # only a shared date of birth is left unsettled
        assert len(d.elected) < c.seats < len(d.elected) + len(d.tied)
        assert all(x.votes >= t.votes for x in elected for t in tied)
        assert all(o.votes < tied[0].votes or o.born > tied[0].born for o in others)
    else:
        assert d.tied == ()
    quorum = 2 * c.voters_voted > c.voters_on_list
    assert (d.status == "re_election_required") == (not quorum and c.round_kind != "re_election")
    if d.status == "additional_election_required":
        assert c.round_kind == "regular"
        assert len(d.elected) < c.seats
    if c.round_kind == "re_election":
        assert d.status in {"decided", "tie_unresolved"}


@given(c=contests(), data=st.data())
def test_rules_do_not_depend_on_ballot_order_or_input_order(c, data):
    shuffled = data.draw(st.permutations(c.candidates))
    reordered = tuple(x._replace(ballot_order=100 - x.ballot_order) for x in shuffled)
    other = dataclasses.replace(c, candidates=reordered)
    for rule in (rules.vn_2015, rules.plurality):
        first, second = rule(c), rule(other)
        assert first.status == second.status
        assert set(first.elected) == set(second.elected)
        assert set(first.tied) == set(second.tied)


@given(c=contests())
def test_plurality_properties(c):
    d = rules.plurality(c)
    cands = by_id(c)
    elected = [cands[i] for i in d.elected]
    others = [x for x in c.candidates if x.id not in d.elected and x.id not in d.tied]
    assert len(d.elected) <= c.seats
    assert [x.votes for x in elected] == sorted((x.votes for x in elected), reverse=True)
    assert all(o.votes <= w.votes for o in others for w in elected)
    if d.status == "tie_unresolved":
        assert len({cands[i].votes for i in d.tied}) == 1
        assert len(d.elected) < c.seats < len(d.elected) + len(d.tied)
        assert all(o.votes < cands[d.tied[0]].votes for o in others)
    else:
        assert d.status == "decided"
        assert len(d.elected) == min(c.seats, len(c.candidates))


@given(c=contests(), rule_set=st.sampled_from(sorted(rules.RULES)))
def test_deciding_without_reasons_decides_the_same(c, rule_set):
    # given any contest: when the reasons are left out (the bulk computation of a whole election)
    full, bare = rules.decide(rule_set, c), rules.decide(rule_set, c, explain=False)
    # then the decision is the same, with no reasons
    assert bare.reasons == ()
    assert dataclasses.replace(full, reasons=()) == bare
    assert full.reasons or rule_set == "plurality"  # vn-2015 always says why (the quorum at least)
