"""Who is older, when a date of birth may be known only to the month or the year (Art. 78(4), CONTRACT §1).

The NEC's convention that an unknown day or month counts as the 1st / 1 January is for a voter's age. For the
tie-break of Art. 78(4) ("người nhiều tuổi hơn là người trúng cử") it gives no ground: a candidate is older only
where the known parts order the two dates for certain. A date known to the month stands for every day of that
month, a date known to the year for every day of that year; one candidate is certainly older than another when
the last day the first could have been born is before the first day the second could have been.

Pure: dates and precisions in, answers out.
"""

import calendar
import datetime as dt

# The values of elections.models.DatePrecision, repeated as plain strings (a test checks they stay equal).
DAY = "day"
MONTH = "month"
YEAR = "year"
PRECISIONS = frozenset({DAY, MONTH, YEAR})


def born_span(born: dt.date, precision: str = DAY) -> tuple[dt.date, dt.date]:
    """The first and the last day a date of birth can stand for.

    A partial date is stored as its first day ("1970-06" as 1 June 1970, "1970" as 1 January 1970):
    (1970-06-15, day) -> 15 June .. 15 June; (1970-06-01, month) -> 1 June .. 30 June 1970;
    (1970-01-01, year) -> 1 January .. 31 December 1970. An unknown precision is refused.
    """
    if precision == DAY:
        return born, born
    if precision == MONTH:
        last = calendar.monthrange(born.year, born.month)[1]
        return born.replace(day=1), born.replace(day=last)
    if precision == YEAR:
        return dt.date(born.year, 1, 1), dt.date(born.year, 12, 31)
    raise ValueError(f"unknown precision of a date of birth: {precision!r}")


def certainly_older(a: dt.date, a_precision: str, b: dt.date, b_precision: str) -> bool:
    """Art. 78(4) with CONTRACT §1: is the first candidate older than the second, whatever the unknown parts?

    True only when the latest day `a` can stand for is before the earliest day `b` can stand for:
    "1969-12" is older than "1970-06-15" (31 Dec 1969 < 15 Jun 1970); "1970" against "1970-06-15" is not
    known either way; "1970-05" is older than "1970-06" (31 May < 1 Jun); the same full date is not older.
    """
    return born_span(a, a_precision)[1] < born_span(b, b_precision)[0]
