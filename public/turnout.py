"""Turnout during the day from the polling units' reports: pure sums over integers, no ORM.

At each reporting time, turnout is the voters who had voted in the units that reported at that time
over the voters on the lists of those same units: a unit that has not reported yet is left out of both
sides rather than counted as zero (which would drag the figure down until the last unit reports).
Example: at 09:00 unit A (800 listed) reports 300 and unit B (600) has not reported: 300 / 800 = 37.50 %,
with 1 of 2 units reported.
"""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from results.rules.percentages import percent


@dataclass(frozen=True)
class UnitSeries:
    unit_id: int
    area_ids: tuple[int, ...]  # the unit's area and every area above it
    listed: int  # voters on the unit's list
    reports: Mapping[dt.time, int]  # voters who had voted, by reporting time


@dataclass(frozen=True)
class Point:
    at: dt.time | None
    units: int  # units counted in the point: those that reported at `at`
    units_total: int
    voters_on_list: int  # of the reporting units
    voters_voted: int

    @property
    def turnout_pct(self) -> str:
        return percent(self.voters_voted, self.voters_on_list)

    @property
    def reported(self) -> bool:
        return self.units > 0


def point(units: Sequence[UnitSeries], at: dt.time | None) -> Point:
    """Turnout of `units` at `at` over the units that reported then."""
    reporting = [u for u in units if at is not None and at in u.reports]
    return Point(
        at=at,
        units=len(reporting),
        units_total=len(units),
        voters_on_list=sum(u.listed for u in reporting),
        voters_voted=sum(u.reports[at] for u in reporting if at is not None),
    )


def series(units: Sequence[UnitSeries], times: Iterable[dt.time]) -> list[Point]:
    """One point per reporting time; a time no unit has reported yet has `units == 0`."""
    return [point(units, at) for at in times]


def latest_time(units: Iterable[UnitSeries], times: Sequence[dt.time]) -> dt.time | None:
    """The latest reporting time at which any unit has reported."""
    seen = {at for u in units for at in u.reports}
    reached = [at for at in times if at in seen]
    return reached[-1] if reached else None


def by_area(units: Iterable[UnitSeries], at: dt.time | None) -> dict[int, Point]:
    """Every area's turnout at `at`, each unit counted in its area and every area above it."""
    sums: dict[int, list[int]] = defaultdict(lambda: [0, 0, 0, 0])  # reporting units, total units, listed, voted
    for u in units:
        reported = at is not None and at in u.reports
        for area_id in u.area_ids:
            row = sums[area_id]
            row[1] += 1
            if reported and at is not None:
                row[0] += 1
                row[2] += u.listed
                row[3] += u.reports[at]
    return {area_id: Point(at, r[0], r[1], r[2], r[3]) for area_id, r in sums.items()}


def latest_of_unit(u: UnitSeries) -> tuple[dt.time | None, int | None]:
    """The unit's latest report: (time, voters who had voted), or (None, None)."""
    if not u.reports:
        return None, None
    at = max(u.reports)
    return at, u.reports[at]
