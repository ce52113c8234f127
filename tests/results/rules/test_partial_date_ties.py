"""The tie for the last seat with dates of birth known only in part (Art. 78(4), CONTRACT §1): pure, no database.

A candidate is older only where the known parts order the two dates for certain; otherwise the tie is
`tie_unresolved` and the competent body decides.
"""

import dataclasses
import datetime as dt
import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.rules import birth_dates, margins
from results.rules import winners as rules
from results.rules.birth_dates import DAY, MONTH, YEAR
from results.rules.winners import CandidateInput, ContestInput


def cand(id_, votes, born, precision=DAY):
    return CandidateInput(id=id_, votes=votes, born=born, ballot_order=id_, born_precision=precision)


def contest(*candidates, seats=1):
    return ContestInput(
        level="commune_council",
        seats=seats,
        voters_on_list=1000,
        voters_voted=1000,
        valid_ballots=1000,
        candidates=candidates,
    )


@pytest.mark.parametrize(
    ("first", "second", "status", "elected"),
    [
        # CONTRACT §1: "1969-12" is older than "1970-06-15": settled by age
        ((dt.date(1969, 12, 1), MONTH), (dt.date(1970, 6, 15), DAY), "decided", (1,)),
        # "1970" against "1970-06-15" cannot be ordered: not as if born on 1 January (issue 15, point 7)
        ((dt.date(1970, 1, 1), YEAR), (dt.date(1970, 6, 15), DAY), "tie_unresolved", ()),
        ((dt.date(1970, 6, 15), DAY), (dt.date(1970, 1, 1), YEAR), "tie_unresolved", ()),
        # "March 1968" against 14 March 1968: inside the same month, unknown
        ((dt.date(1968, 3, 14), DAY), (dt.date(1968, 3, 1), MONTH), "tie_unresolved", ()),
        # the boundary: a month against the first day of the next one is certain
        ((dt.date(1970, 7, 1), DAY), (dt.date(1970, 6, 1), MONTH), "decided", (2,)),
        # ... and against its own last day it is not
        ((dt.date(1970, 6, 30), DAY), (dt.date(1970, 6, 1), MONTH), "tie_unresolved", ()),
        # two years apart, both known only to the year
        ((dt.date(1971, 1, 1), YEAR), (dt.date(1970, 1, 1), YEAR), "decided", (2,)),
    ],
)
def test_a_partial_date_wins_a_tie_only_where_the_order_is_certain_art_78_4(first, second, status, elected):
    # given two candidates with equal votes, more than half, for one seat
    c = contest(cand(1, 600, *first), cand(2, 600, *second))
    # when the rules decide; then the older wins only where the known parts order the dates
    d = rules.vn_2015(c)
    assert (d.status, d.elected) == (status, elected)
    if status == "tie_unresolved":
        assert d.tied == (1, 2)
        reason = next(r for r in d.reasons if r.code == "tie_unresolved")
        assert reason.article == "Art. 78(4)" and "do not order them" in reason.message


def test_a_partial_date_can_still_lose_to_a_date_certainly_older():
    # 2 seats, three tied: "1950" is certainly the oldest; "1970" and 1970-06-15 cannot be ordered for the last seat
    c = contest(
        cand(1, 600, dt.date(1970, 1, 1), YEAR),
        cand(2, 600, dt.date(1970, 6, 15)),
        cand(3, 600, dt.date(1950, 1, 1), YEAR),
        seats=2,
    )
    d = rules.vn_2015(c)
    assert (d.status, d.elected, d.tied) == ("tie_unresolved", (3,), (1, 2))


def test_a_partial_date_certainly_younger_loses():
    # 1 seat: 1960-05-01 is certainly older than "1970" and "1970-06": they lose, no tie
    c = contest(
        cand(1, 600, dt.date(1970, 1, 1), YEAR),
        cand(2, 600, dt.date(1970, 6, 1), MONTH),
        cand(3, 600, dt.date(1960, 5, 1)),
    )
    d = rules.vn_2015(c)
    assert (d.status, d.elected) == ("decided", (3,))
    assert next(r for r in d.reasons if r.code == "tie_broken_by_age").params["losers"] == [1, 2]


def test_the_margin_check_knows_a_partial_date_may_take_the_seat():
    # the last seat held by 1970-06-15 on 600 votes; "1970" trails by 10 with 10 voters not counted: a tie it could
    # win or leave unresolved, so the outcome can change
    last = cand(1, 600, dt.date(1970, 6, 15))
    other = cand(2, 590, dt.date(1970, 1, 1), YEAR)
    assert margins._can_reach(other, last, 10, by_age=True)
    # one certainly younger than the holder could not take it
    younger = cand(3, 590, dt.date(1971, 1, 1), YEAR)
    assert not margins._can_reach(younger, last, 10, by_age=True)


def test_contest_input_refuses_an_unknown_precision():
    with pytest.raises(rules.InvalidContest):
        contest(cand(1, 600, dt.date(1970, 1, 1), "decade"))


# --- properties over partial dates -------------------------------------------------------------------------

DATES = [
    (dt.date(1969, 12, 1), MONTH),
    (dt.date(1970, 1, 1), YEAR),
    (dt.date(1970, 1, 1), DAY),
    (dt.date(1970, 6, 1), MONTH),
    (dt.date(1970, 6, 15), DAY),
    (dt.date(1970, 6, 30), DAY),
    (dt.date(1971, 1, 1), YEAR),
]


@st.composite
def tied_contests(draw):
    """Everyone on the same votes (over half), with dates drawn from a few full and partial ones."""
    n = draw(st.integers(min_value=2, max_value=6))
    seats = draw(st.integers(min_value=1, max_value=n - 1))
    people = [cand(i, 600, *draw(st.sampled_from(DATES))) for i in range(1, n + 1)]
    return contest(*people, seats=seats)


def _older(a, b):
    return birth_dates.certainly_older(a.born, a.born_precision, b.born, b.born_precision)


@given(c=tied_contests())
def test_partial_dates_never_elect_anyone_who_might_be_younger_than_someone_left_out(c):
    d = rules.vn_2015(c)
    by_id = {x.id: x for x in c.candidates}
    elected = [by_id[i] for i in d.elected]
    tied = [by_id[i] for i in d.tied]
    out = [x for x in c.candidates if x.id not in d.elected and x.id not in d.tied]
    assert len(d.elected) <= c.seats
    # every winner is certainly older than everyone who lost outright
    assert all(_older(w, o) for w, o in itertools.product(elected, out))
    # a winner is among the oldest whatever the unknown parts: fewer others than seats might be as old or older
    assert all(sum(not _older(w, x) for x in c.candidates if x is not w) < c.seats for w in elected)
    # whoever lost outright has at least as many certainly older than them as there are seats: never among the oldest
    assert all(sum(_older(x, o) for x in c.candidates) >= c.seats for o in out)
    if d.status == "decided":
        assert len(d.elected) == c.seats and not tied
    else:
        # the tied outnumber the seats still open: the competent body decides
        assert d.status == "tie_unresolved" and len(tied) > c.seats - len(d.elected) > 0


@given(c=tied_contests())
def test_full_dates_decide_as_before(c):
    # the same contest with every date taken as a full date: the old rule (older first, a shared date unresolved)
    full = dataclasses.replace(c, candidates=tuple(x._replace(born_precision=DAY) for x in c.candidates))
    d = rules.vn_2015(full)
    ranked = sorted(full.candidates, key=lambda x: x.born)
    cut = ranked[full.seats - 1].born
    sure = [x.id for x in ranked if x.born < cut]
    at_cut = [x.id for x in ranked if x.born == cut]
    if len(sure) + len(at_cut) <= full.seats or len(at_cut) == full.seats - len(sure):
        assert d.status == "decided"
    else:
        assert d.status == "tie_unresolved" and sorted(d.tied) == sorted(at_cut)
