"""Percentages and roll-ups of tallies: pure arithmetic, no database."""

import dataclasses
from decimal import ROUND_HALF_UP, Decimal, localcontext

import pytest
from hypothesis import given
from hypothesis import strategies as st

from results.rules.percentages import TallyFigures, percent, percent_hundredths, percents_to_100, sum_tallies


def exact_half_up(part: int, whole: int) -> Decimal:
    """An independent oracle: Decimal with far more digits than any count has, then half up."""
    with localcontext() as ctx:
        ctx.prec = 80
        return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


# --- percent ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("part", "whole", "expected"),
    [
        (9850, 9876, "99.74"),  # the contract's turnout example
        (4513, 20000, "22.57"),  # exactly 22.565: the third decimal 5 rounds up
        (45132, 200000, "22.57"),  # 22.566, the NEC's own example
        (45128, 200000, "22.56"),  # 22.564 rounds down
        (2, 3, "66.67"),
        (1, 3, "33.33"),
        (1, 8, "12.50"),  # trailing zero kept: always two decimals
        (201, 20000, "1.01"),  # exactly 1.005: a float would print 1.00
        (1, 20000, "0.01"),  # 0.005 rounds up to the first hundredth
        (1, 200000, "0.00"),  # 0.0005 rounds down
        (4987, 10000, "49.87"),
        (1, 1, "100.00"),
        (0, 7, "0.00"),
        (0, 0, "0.00"),  # nothing to divide by: zero, not an error
        (5, 0, "0.00"),
        (12, 10, "120.00"),  # lenient data can exceed the whole; shown as is
    ],
)
def test_percent(part, whole, expected):
    assert percent(part, whole) == expected


def test_percent_hundredths_is_the_integer_behind_percent():
    assert percent_hundredths(4513, 20000) == 2257
    assert percent_hundredths(0, 0) == 0


@pytest.mark.parametrize(("part", "whole"), [(-1, 10), (1, -10)])
def test_percent_refuses_negative_counts(part, whole):
    with pytest.raises(ValueError, match="negative"):
        percent(part, whole)


@given(whole=st.integers(min_value=1, max_value=10**9), data=st.data())
def test_percent_is_exact_half_up(whole, data):
    part = data.draw(st.integers(min_value=0, max_value=2 * whole))
    text = percent(part, whole)
    assert text == str(exact_half_up(part, whole))
    assert len(text.split(".")[1]) == 2
    # never more than half a hundredth from the exact share
    assert abs(Decimal(text) * whole - Decimal(part * 100)) <= Decimal("0.005") * whole


# --- percents_to_100 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parts", "whole", "expected"),
    [
        ([1, 1, 1], 3, ["33.34", "33.33", "33.33"]),  # 99.99 rounded one by one; equal shares: first one
        ([2, 1], 3, ["66.67", "33.33"]),  # half-up already totals 100: unchanged
        ([9800, 50], 9850, ["99.49", "0.51"]),  # valid/invalid of the contract's example
        ([1] * 7, 7, ["14.29"] * 4 + ["14.28"] * 3),  # 14.2857...: four hundredths missing
        ([1, 4, 29995], 30000, ["0.00", "0.01", "99.99"]),  # equal fractions: the larger part first
        ([1, 1, 1, 1, 1, 1], 6, ["16.67", "16.67", "16.67", "16.67", "16.66", "16.66"]),  # half up gives 100.02
        ([5, 0], 5, ["100.00", "0.00"]),
        ([0, 0], 0, ["0.00", "0.00"]),  # nothing counted: nothing to make 100
        ([600, 500], 790, ["75.95", "63.29"]),  # votes of a 2-seat contest exceed the ballots: no adjustment
        ([1, 1], 3, ["33.33", "33.33"]),  # parts short of the whole: no adjustment either
        ([], 0, []),
    ],
)
def test_percents_to_100(parts, whole, expected):
    assert percents_to_100(parts, whole) == expected


def test_percents_to_100_refuses_negative_parts():
    with pytest.raises(ValueError, match="negative"):
        percents_to_100([3, -1], 2)


@given(parts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12))
def test_percents_to_100_totals_100_and_stays_within_a_hundredth(parts):
    whole = sum(parts)
    shares = percents_to_100(parts, whole)
    if whole == 0:
        assert set(shares) == {"0.00"}
        return
    assert sum(Decimal(s) for s in shares) == Decimal("100.00")
    for part, share in zip(parts, shares, strict=True):
        assert abs(Decimal(share) * whole - Decimal(part * 100)) < Decimal("0.01") * whole
    rounded = [percent(part, whole) for part in parts]
    if sum(Decimal(s) for s in rounded) == Decimal("100.00"):
        assert shares == rounded  # adjusted only when rounding one by one misses 100


@given(parts=st.lists(st.integers(min_value=0, max_value=10**6), min_size=1, max_size=12), extra=st.integers(1, 99))
def test_percents_to_100_rounds_one_by_one_when_parts_do_not_make_the_whole(parts, extra):
    whole = sum(parts) + extra
    assert percents_to_100(parts, whole) == [percent(part, whole) for part in parts]


# --- sum_tallies --------------------------------------------------------------------------------


def figures(on_list=0, voted=0, issued=0, received=0, valid=0, invalid=0, votes=None):
    return TallyFigures(
        voters_on_list=on_list,
        voters_voted=voted,
        ballots_issued=issued,
        ballots_received=received,
        valid_ballots=valid,
        invalid_ballots=invalid,
        votes=votes or {},
    )


def test_sum_tallies_adds_each_field_and_each_candidate():
    # given two polling units of one constituency, candidate 2 missing from the first
    first = figures(812, 810, 810, 810, 805, 5, {1: 700, 3: 610})
    second = figures(640, 600, 600, 598, 590, 8, {1: 500, 2: 90, 3: 0})
    # when
    total = sum_tallies([first, second])
    # then
    assert total == figures(1452, 1410, 1410, 1408, 1395, 13, {1: 1200, 3: 610, 2: 90})
    assert list(total.votes) == [1, 3, 2]  # candidates in the order first met


def test_sum_tallies_of_nothing_is_zero():
    assert sum_tallies([]) == figures()


def test_sum_tallies_accepts_a_generator_and_leaves_inputs_alone():
    tallies = [figures(10, 6, 6, 6, 5, 1, {7: 5}), figures(10, 6, 6, 6, 6, 0, {7: 1})]
    total = sum_tallies(t for t in tallies)
    assert total.votes == {7: 6}
    assert tallies[0].votes == {7: 5}


def test_tally_figures_are_frozen():
    with pytest.raises(dataclasses.FrozenInstanceError):
        figures().valid_ballots = 3  # type: ignore[misc]


counts = st.integers(min_value=0, max_value=10**6)
tally_strategy = st.builds(
    figures,
    counts,
    counts,
    counts,
    counts,
    counts,
    counts,
    st.dictionaries(st.integers(min_value=1, max_value=6), counts, max_size=6),
)


@given(tallies=st.lists(tally_strategy, max_size=8))
def test_sum_tallies_matches_field_by_field_sums(tallies):
    total = sum_tallies(tallies)
    for name in ("voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots"):
        assert getattr(total, name) == sum(getattr(t, name) for t in tallies)
    assert total.invalid_ballots == sum(t.invalid_ballots for t in tallies)
    candidates = {c for t in tallies for c in t.votes}
    assert set(total.votes) == candidates
    for c in candidates:
        assert total.votes[c] == sum(t.votes.get(c, 0) for t in tallies)


@given(tallies=st.lists(tally_strategy, min_size=2, max_size=6))
def test_sum_tallies_is_associative(tallies):
    # a province is the sum of its districts, or of all its units: the same totals
    split = len(tallies) // 2
    by_parts = sum_tallies([sum_tallies(tallies[:split]), sum_tallies(tallies[split:])])
    assert by_parts == sum_tallies(tallies)
