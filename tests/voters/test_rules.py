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
