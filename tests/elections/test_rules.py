"""The law's structure checks, pure and without a database."""

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from elections import rules
from elections.models import DatePrecision, Level

NA, PROV, DIST, COMM = (
    Level.NATIONAL_ASSEMBLY,
    Level.PROVINCIAL_COUNCIL,
    Level.DISTRICT_COUNCIL,
    Level.COMMUNE_COUNCIL,
)


@pytest.mark.parametrize(
    ("level", "seats", "needed"),
    [
        (NA, 1, 3),  # Art. 57(6): seats + 2
        (NA, 2, 4),
        (NA, 3, 5),
        (PROV, 1, 2),  # 1-2 seats: + 1 (Official Letter 45/VPHĐBCQG)
        (COMM, 2, 3),
        (DIST, 3, 5),  # Art. 58(3): 3 seats + 2
        (COMM, 4, 7),  # 4 or more seats: + 3
        (PROV, 5, 8),
    ],
)
def test_required_candidates(level, seats, needed):
    assert rules.required_candidates(level, seats) == needed


@pytest.mark.parametrize(
    ("level", "seats", "candidates", "codes"),
    [
        (NA, 3, 5, []),
        (NA, 3, 4, ["too_few_candidates"]),
        (NA, 4, 6, ["seats_above_legal_maximum"]),  # Art. 10(4): at most 3
        (COMM, 5, 8, []),
        (COMM, 6, 9, ["seats_above_legal_maximum"]),  # at most 5
        (COMM, 5, 7, ["too_few_candidates"]),
        (PROV, 4, 6, ["too_few_candidates"]),
    ],
)
def test_check_constituency(level, seats, candidates, codes):
    found = rules.check_constituency(level=level, seats=seats, candidates=candidates)
    assert [f.code for f in found] == codes
    for f in found:
        assert f.article.startswith("Art.")


@pytest.mark.parametrize(
    ("voters", "codes"),
    [(None, []), (299, ["polling_unit_small"]), (300, []), (4000, []), (4001, ["polling_unit_large"])],
)
def test_check_polling_unit_bounds(voters, codes):
    assert [f.code for f in rules.check_polling_unit(voters=voters)] == codes


@pytest.mark.parametrize(
    ("text", "date", "precision"),
    [
        ("1968-03-14", dt.date(1968, 3, 14), DatePrecision.DAY),
        ("1968-03", dt.date(1968, 3, 1), DatePrecision.MONTH),  # unknown day counts as the 1st
        ("1968", dt.date(1968, 1, 1), DatePrecision.YEAR),  # unknown month and day: 1 January
    ],
)
def test_parse_birth_date(text, date, precision):
    assert rules.parse_birth_date(text) == (date, precision)


@pytest.mark.parametrize("text", ["", "68", "1968-3-14", "1968-13", "1968-02-30", "1968/03/14", "1968-03-14T00", "x"])
def test_parse_birth_date_refuses(text):
    with pytest.raises(ValueError):
        rules.parse_birth_date(text)


@given(st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2100, 12, 31)))
def test_parse_birth_date_round_trips(date):
    assert rules.parse_birth_date(date.isoformat()) == (date, DatePrecision.DAY)
    assert rules.parse_birth_date(date.isoformat()[:7]) == (date.replace(day=1), DatePrecision.MONTH)
