"""The days allowed for a second round and a lawful voting day (Arts. 79(3), 80(4), 81(2), Law 83/2025): pure."""

import datetime as dt

import pytest

from results.rules import second_rounds
from results.rules.second_rounds import (
    AFTER_DEADLINE,
    BEFORE_ELECTION_DAY,
    round_articles,
    second_round_days,
    second_round_deadline,
    voting_day_problem,
)


@pytest.mark.parametrize(
    ("election_day", "days"),
    [
        (dt.date(2021, 5, 23), 15),  # the 2021 election: the 2015 text
        (dt.date(2025, 6, 30), 15),  # the day before Law 83/2025/QH15 came into force
        (dt.date(2025, 7, 1), 7),  # the day it did: Arts. 79(3), 80(4), 81(2) as amended
        (dt.date(2026, 3, 15), 7),  # the 2026 election
    ],
)
def test_the_days_are_those_of_the_law_in_force_on_election_day_arts_79_3_80_4_81_2(election_day, days):
    assert second_round_days(election_day) == days


@pytest.mark.parametrize(
    ("election_day", "days", "deadline"),
    [
        (dt.date(2026, 3, 15), None, dt.date(2026, 3, 22)),  # issue 15: 22/3/2026, not 30/3/2026
        (dt.date(2021, 5, 23), None, dt.date(2021, 6, 7)),
        (dt.date(2026, 3, 15), 10, dt.date(2026, 3, 25)),  # an election's own setting wins
    ],
)
def test_the_deadline_is_election_day_plus_the_days(election_day, days, deadline):
    assert second_round_deadline(election_day, days) == deadline


DAY = dt.date(2026, 3, 15)
DEADLINE = dt.date(2026, 3, 22)


@pytest.mark.parametrize(
    ("voting_day", "problem"),
    [
        (dt.date(2026, 3, 14), BEFORE_ELECTION_DAY),
        (dt.date(2026, 3, 15), None),
        (dt.date(2026, 3, 22), None),  # the last lawful day, Art. 79(3) "chậm nhất là 07 ngày"
        (dt.date(2026, 3, 23), AFTER_DEADLINE),
        (dt.date(2026, 3, 29), AFTER_DEADLINE),  # the day the 2026 system accepted (issue 15)
    ],
)
def test_a_voting_day_lies_between_election_day_and_the_deadline(voting_day, problem):
    assert voting_day_problem(voting_day, election_day=DAY, deadline=DEADLINE) == problem


@pytest.mark.parametrize(
    ("kind", "level", "articles"),
    [
        ("additional", "national_assembly", ("Art. 79(1)", "Art. 79(3)")),
        ("additional", "commune_council", ("Art. 79(2)", "Art. 79(3)")),
        ("re_election", "national_assembly", ("Art. 80(2)", "Art. 80(4)")),
        ("re_election", "provincial_council", ("Art. 80(3)", "Art. 80(4)")),  # with the NEC's consent (2025)
        ("annulment", "commune_council", ("Art. 81(1)", "Art. 81(2)")),
    ],
)
def test_each_round_names_the_article_of_its_decision_and_of_its_deadline(kind, level, articles):
    assert round_articles(kind, level) == articles


def test_the_level_name_is_that_of_the_model():
    from elections.models import Level

    assert second_rounds.NATIONAL_ASSEMBLY == Level.NATIONAL_ASSEMBLY
