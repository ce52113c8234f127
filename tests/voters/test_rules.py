"""Voter-list law as pure functions: age on election day, contests by residence, deadlines."""

import datetime as dt

import pytest

from voters import rules


@pytest.mark.parametrize(
    ("born", "of_age"),
    [
        (dt.date(2008, 3, 15), True),  # turns 18 on election day 2026-03-15: votes
        (dt.date(2008, 3, 16), False),  # a day younger: does not
        (dt.date(1950, 1, 1), True),
    ],
)
def test_age_on_election_day(born, of_age):
    assert rules.is_of_age(born, dt.date(2026, 3, 15)) is of_age


def test_leap_day_election():
    assert rules.eighteenth_birthday_cutoff(dt.date(2032, 2, 29)) == dt.date(2014, 2, 28)


@pytest.mark.parametrize(
    ("residence", "level", "votes"),
    [
        ("permanent", "commune_council", True),
        ("temporary", "commune_council", True),
        ("temporary_short", "national_assembly", True),
        ("temporary_short", "provincial_council", True),
        ("temporary_short", "commune_council", False),  # spec §3: under 12 months, no commune vote
    ],
)
def test_votes_in(residence, level, votes):
    assert rules.votes_in(residence, level) is votes


def test_changes_close_24_hours_before_voting():
    closes = rules.changes_close_at(dt.date(2026, 3, 15), dt.time(7, 0), "Asia/Ho_Chi_Minh")
    assert closes.isoformat() == "2026-03-14T07:00:00+07:00"


def test_complaint_and_posting_deadlines():
    assert rules.complaint_deadline(dt.date(2026, 2, 3)) == dt.date(2026, 3, 5)
    assert rules.answer_due(dt.date(2026, 2, 10)) == dt.date(2026, 2, 15)
    assert rules.posting_deadline(dt.date(2026, 3, 15)) == dt.date(2026, 2, 3)


# --- voter categories (Art. 29(3) and (5) as amended by Law 83/2025/QH15) ---------------------------------


@pytest.mark.parametrize(
    ("category", "level", "votes"),
    [
        ("ordinary", "national_assembly", True),
        ("ordinary", "provincial_council", True),
        ("ordinary", "district_council", True),
        ("ordinary", "commune_council", True),
        # Art. 29(3): a soldier listed where the unit is stationed votes for the NA and the provincial council
        ("armed_forces", "national_assembly", True),
        ("armed_forces", "provincial_council", True),
        ("armed_forces", "district_council", False),
        ("armed_forces", "commune_council", False),
        # Art. 29(5): temporary detention (tạm giam, tạm giữ)
        ("detention", "national_assembly", True),
        ("detention", "provincial_council", True),
        ("detention", "district_council", False),
        ("detention", "commune_council", False),
        # Art. 29(5): compulsory education or rehabilitation facility
        ("compulsory_facility", "national_assembly", True),
        ("compulsory_facility", "provincial_council", True),
        ("compulsory_facility", "district_council", False),
        ("compulsory_facility", "commune_council", False),
    ],
)
def test_votes_in_by_category_art_29_3_and_5(category, level, votes):
    assert rules.votes_in("permanent", level, category) is votes


def test_every_category_and_level_has_a_rule_art_29():
    from elections.models import Level
    from voters.models import VoterCategory

    assert set(rules.LEVELS_BY_CATEGORY) == set(VoterCategory.values)
    for category in VoterCategory.values:
        for level in Level.values:
            rules.votes_in("permanent", level, category)  # no KeyError


def test_residence_and_category_both_limit_the_ballots_art_29_3():
    levels = ("national_assembly", "provincial_council", "commune_council")
    assert rules.levels_voted("temporary_short", "ordinary", levels) == ["national_assembly", "provincial_council"]
    assert rules.levels_voted("permanent", "armed_forces", levels) == ["national_assembly", "provincial_council"]
    assert rules.levels_voted("permanent", "ordinary", levels) == list(levels)
    assert rules.levels_voted("temporary", "detention", ("commune_council",)) == []
