"""Geometry of the server-drawn SVG line chart of turnout during the day (no JavaScript, no library).

Pure: times and two-decimal percentage strings in, positions out. Horizontal positions are percentages
of the chart's width (so it stretches to a phone's width without shrinking its text); vertical ones are
pixels of a fixed plot height. Time runs from the opening of voting (0 %, nobody has voted yet) to its
close, to scale.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

HEIGHT = 220  # px of the whole chart
TOP = 16  # room above the 100 % line
BOTTOM = 34  # room below the 0 % line for the time labels
LEFT_PCT = Decimal("9")  # % of the width kept for the axis labels
RIGHT_PCT = Decimal("3")


@dataclass(frozen=True)
class Dot:
    x: str  # "52.3%"
    y: int
    label: str  # the time, "14:00"
    pct: str  # "83.21"
    label_y: int  # where the value is written, above the dot
    anchor: str = "middle"  # of the written value: "end" near the right edge, so a phone does not cut it off


@dataclass(frozen=True)
class Segment:
    x1: str
    y1: int
    x2: str
    y2: int


@dataclass(frozen=True)
class Tick:
    y: int
    label: str  # "50 %"


@dataclass(frozen=True)
class LineChart:
    dots: tuple[Dot, ...]
    segments: tuple[Segment, ...]
    ticks: tuple[Tick, ...]
    times: tuple[Dot, ...]  # every reporting time on the axis, reported or not (y = baseline)
    height: int
    baseline: int
    left: str
    right: str


def _minutes(t: dt.time) -> int:
    return t.hour * 60 + t.minute


def _x(t: dt.time, opens: dt.time, closes: dt.time) -> str:
    span = max(1, _minutes(closes) - _minutes(opens))
    share = Decimal(_minutes(t) - _minutes(opens)) / Decimal(span)
    share = min(max(share, Decimal(0)), Decimal(1))
    x = LEFT_PCT + share * (Decimal(100) - LEFT_PCT - RIGHT_PCT)
    return f"{x.quantize(Decimal('0.01'))}%"


def _y(pct: Decimal) -> int:
    plot = HEIGHT - TOP - BOTTOM
    return TOP + round(plot * (Decimal(100) - min(pct, Decimal(100))) / Decimal(100))


def turnout_chart(points: Sequence[tuple[dt.time, str | None]], *, opens: dt.time, closes: dt.time) -> LineChart:
    """A line from (opening, 0 %) through each reported time's turnout; unreported times get no dot.

    Example: opens 07:00, closes 19:00, [(09:00, "35.00"), (11:00, None)] -> one segment from the
    origin to 09:00 at 35 %, a dot at 09:00 labelled "35.00", and 11:00 marked on the time axis only.
    """
    baseline = _y(Decimal(0))
    dots = []
    for at, pct in points:
        if pct is None:
            continue
        y = _y(Decimal(pct))
        x = _x(at, opens, closes)
        anchor = "end" if Decimal(x.rstrip("%")) > 100 - RIGHT_PCT - 6 else "middle"
        dots.append(Dot(x, y, at.strftime("%H:%M"), pct, max(TOP - 4, y - 8), anchor))
    start = Dot(_x(opens, opens, closes), baseline, opens.strftime("%H:%M"), "0.00", baseline)
    path = [start, *dots]
    segments = tuple(Segment(a.x, a.y, b.x, b.y) for a, b in zip(path, path[1:], strict=False))
    ticks = tuple(Tick(_y(Decimal(v)), f"{v} %") for v in (0, 25, 50, 75, 100))
    times = tuple(Dot(_x(at, opens, closes), baseline, at.strftime("%H:%M"), "", HEIGHT - 10) for at, _ in points)
    return LineChart(
        dots=tuple(dots),
        segments=segments,
        ticks=ticks,
        times=(Dot(start.x, baseline, start.label, "", HEIGHT - 10), *times),
        height=HEIGHT,
        baseline=baseline,
        left=f"{LEFT_PCT}%",
        right=f"{Decimal(100) - RIGHT_PCT}%",
    )
