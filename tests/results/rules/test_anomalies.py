"""Anomaly screening: the statistics and each screening on made-up units. Pure, no database."""

import math
import random

import pytest

from results.outcomes import charts
from results.rules import anomalies as flags
from results.rules.anomalies import UnitFigures


def unit(i, listed, voted, *, valid=None, leader=None, area="A", region="R", cons="K", votes=()):
    valid = voted if valid is None else valid
    return UnitFigures(
        key=i,
        code=f"U{i}",
        area=area,
        region=region,
        constituency=cons,
        voters_on_list=listed,
        voters_voted=voted,
        valid_ballots=valid,
        leader_votes=valid // 2 if leader is None else leader,
        votes=tuple(votes),
    )


# --- statistics -----------------------------------------------------------------------------------


def test_robust_z_of_the_docstring():
    z = flags.robust_z([0.70, 0.71, 0.72, 0.71, 0.99])
    assert z[-1] == pytest.approx(0.6745 * 0.28 / 0.01)
    assert abs(z[1]) < 1e-9


def test_robust_z_without_spread():
    assert flags.robust_z([0.5] * 5) == [None] * 5
    # MAD is 0 (most values equal) but not every value: the mean absolute deviation stands in
    z = flags.robust_z([0.5, 0.5, 0.5, 0.5, 0.9])
    assert z[-1] == pytest.approx(0.4 / (1.253314 * 0.08))


@pytest.mark.parametrize(("statistic", "p"), [(21.666, 0.01), (27.877, 0.001), (16.919, 0.05), (0.0, 1.0)])
def test_chi_square_tail_with_9_degrees(statistic, p):
    assert flags.chi_square_p(statistic, 9) == pytest.approx(p, rel=2e-3)


@pytest.mark.parametrize(("k", "mean"), [(1, 1.0), (3, 2.5), (10, 4.0), (40, 30.0)])
def test_poisson_tail_matches_the_sum(k, mean):
    exact = 1 - sum(math.exp(-mean) * mean**i / math.factorial(i) for i in range(k))
    assert flags.poisson_at_least(k, mean) == pytest.approx(exact, rel=1e-9)


@pytest.mark.parametrize(
    ("part", "whole", "integer"),
    [(850, 1000, True), (851, 1000, False), (617, 1234, True), (1, 3, False), (0, 7, True)],
)
def test_integer_percent(part, whole, integer):
    assert flags.is_integer_percent(part, whole) is integer


@pytest.mark.parametrize(("whole", "chance"), [(1000, 101 / 1001), (1234, 3 / 1235), (100, 1.0), (7, 2 / 8)])
def test_integer_chance(whole, chance):
    assert flags.integer_chance(whole) == pytest.approx(chance)


# --- screenings -----------------------------------------------------------------------------------


def test_a_turnout_far_from_its_area_is_flagged():
    units = [unit(i, 1000, 700 + i) for i in range(12)] + [unit(99, 1000, 990)]
    found = flags.turnout_outliers(units)
    assert [a.key for a in found] == [99]
    assert found[0].code == "turnout_outlier" and "Iglewicz" in found[0].source
    assert "99.00 %" in found[0].message


def test_small_areas_are_not_screened():
    units = [unit(i, 1000, 700 + i) for i in range(8)] + [unit(99, 1000, 990)]
    assert flags.turnout_outliers(units) == []


def test_each_area_has_its_own_distribution():
    units = [unit(i, 1000, 700 + i, area="A") for i in range(12)] + [
        unit(50 + i, 1000, 980 + i, area="B") for i in range(12)
    ]
    assert flags.turnout_outliers(units) == []


def test_high_turnout_with_a_high_leader_share_is_a_fingerprint_outlier():
    units = [unit(i, 1000, 600 + i * 3, leader=300 + i * 2) for i in range(15)]
    units += [unit(98, 1000, 990, leader=900), unit(99, 1000, 990, leader=320)]
    found = flags.fingerprint_outliers(units)
    assert [a.key for a in found] == [98]
    assert "Klimek" in found[0].source


def test_integer_percentage_spikes_flag_their_units():
    rng = random.Random(1)
    units = [unit(i, 1237 + i, rng.randint(600, 1000)) for i in range(300)]
    stuffed = [unit(1000 + i, 1000 + 20 * (i % 5), (1000 + 20 * (i % 5)) * 9 // 10) for i in range(30)]
    found = flags.integer_percent_spikes(units + stuffed)
    keys = {a.key for a in found if a.code == "integer_percent_turnout"}
    assert {u.key for u in stuffed} <= keys
    mine = next(a for a in found if a.key == 1000)
    assert "Kobak" in mine.source and mine.params["pct"] == 90 and mine.params["hits"] >= 30


def test_integer_percentages_as_often_as_chance_are_not_flagged():
    rng = random.Random(2)
    units = [unit(i, n, rng.randint(0, n)) for i, n in enumerate(rng.randint(500, 3000) for _ in range(2000))]
    assert [a for a in flags.integer_percent_spikes(units) if a.code == "integer_percent_turnout"] == []


def test_last_digits_ending_in_zero_or_five_fail():
    counts = {"K1": [100 + 5 * i for i in range(120)]}
    found = flags.last_digit_test(counts)
    assert [a.key for a in found] == ["K1"] and found[0].params["p"] < 1e-6
    assert "Beber" in found[0].source


def test_uniform_last_digits_pass_and_few_are_not_tested():
    assert flags.last_digit_test({"K1": [10 * j + d for d in range(10) for j in range(1, 11)]}) == []
    assert flags.last_digit_test({"K1": [100] * 49}) == []
    assert flags.last_digit_test({"K1": [5] * 200}) == []  # counts under 10 have no meaningful last digit


def test_screen_runs_everything():
    units = [unit(i, 1000, 700 + i, votes=(100 + 5 * i,)) for i in range(12)] + [unit(99, 1000, 990)]
    codes = {a.code for a in flags.screen(units)}
    assert "turnout_outlier" in codes


# --- the chart ------------------------------------------------------------------------------------


def test_share_chart_geometry():
    chart = charts.share_chart([("A", "60.05", True), ("B", "139.95", False)], majority_line=True)
    assert [b.width for b in chart.bars] == ["60.05%", "100%"]
    assert chart.height == 18 + 2 * 46 + 4 and chart.line_at == "50%"
    assert charts.share_chart([], majority_line=False).line_at is None
