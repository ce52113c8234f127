"""Who is older when a date of birth is known only to the month or the year (Art. 78(4), CONTRACT §1): pure."""

import datetime as dt

import pytest

from results.rules import birth_dates
from results.rules.birth_dates import DAY, MONTH, YEAR, born_span, certainly_older


@pytest.mark.parametrize(
    ("born", "precision", "span"),
    [
        (dt.date(1970, 6, 15), DAY, (dt.date(1970, 6, 15), dt.date(1970, 6, 15))),
        (dt.date(1970, 6, 1), MONTH, (dt.date(1970, 6, 1), dt.date(1970, 6, 30))),
        (dt.date(1972, 2, 1), MONTH, (dt.date(1972, 2, 1), dt.date(1972, 2, 29))),  # a leap February
        (dt.date(1970, 1, 1), YEAR, (dt.date(1970, 1, 1), dt.date(1970, 12, 31))),
    ],
)
def test_a_partial_date_stands_for_every_day_it_may_be(born, precision, span):
    assert born_span(born, precision) == span


def test_an_unknown_precision_is_refused():
    with pytest.raises(ValueError, match="precision"):
        born_span(dt.date(1970, 1, 1), "decade")


@pytest.mark.parametrize(
    ("a", "b", "older"),
    [
        # CONTRACT §1's own examples: "1969-12" is older than "1970-06-15"; "1970" against "1970-06-15" is not known
        ((dt.date(1969, 12, 1), MONTH), (dt.date(1970, 6, 15), DAY), True),
        ((dt.date(1970, 1, 1), YEAR), (dt.date(1970, 6, 15), DAY), False),
        ((dt.date(1970, 6, 15), DAY), (dt.date(1970, 1, 1), YEAR), False),
        # the boundary: the last possible day of one against the first possible day of the other
        ((dt.date(1970, 5, 1), MONTH), (dt.date(1970, 6, 1), DAY), True),  # 31 May < 1 June
        ((dt.date(1970, 5, 1), MONTH), (dt.date(1970, 5, 31), DAY), False),  # 31 May is not before 31 May
        ((dt.date(1969, 1, 1), YEAR), (dt.date(1970, 1, 1), YEAR), True),  # 31 Dec 1969 < 1 Jan 1970
        ((dt.date(1970, 6, 1), MONTH), (dt.date(1970, 1, 1), YEAR), False),  # June 1970 lies inside 1970
        # full dates: one day is enough; the same day is not older
        ((dt.date(1968, 3, 1), DAY), (dt.date(1968, 3, 2), DAY), True),
        ((dt.date(1968, 3, 1), DAY), (dt.date(1968, 3, 1), DAY), False),
    ],
)
def test_certainly_older_only_where_the_known_parts_order_the_dates_art_78_4(a, b, older):
    assert certainly_older(*a, *b) is older


def test_the_precisions_are_those_of_the_model():
    from elections.models import DatePrecision

    assert set(DatePrecision.values) == birth_dates.PRECISIONS
