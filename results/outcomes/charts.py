"""Geometry of the server-drawn SVG bar charts of vote shares (no JavaScript, no outside library).

Pure: labels and two-decimal percentage strings in, bar rows out. Widths are percentages of the
chart's width so the SVG stretches to any screen without scaling its text.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

ROW = 46  # px per bar: a label line and the bar below it
BAR = 16
TOP = 18  # room for the scale's labels
OVERHANG = 2  # px the majority line passes a bar above and below (a name's descenders end 3 px below its line)


@dataclass(frozen=True)
class Bar:
    label: str
    pct: str  # "60.05"
    width: str  # "60.05%": share of the chart's width, capped at 100 %
    y_text: int
    y_bar: int
    highlight: bool  # elected / seats won


@dataclass(frozen=True)
class Chart:
    bars: tuple[Bar, ...]
    height: int
    line_at: str | None  # "50%": the majority line, when the rules have one
    # the majority line in pieces, (top, bottom) of each: across the bars only, never through a name above one
    line_pieces: tuple[tuple[int, int], ...] = ()


def share_chart(rows: Sequence[tuple[str, str, bool]], *, majority_line: bool) -> Chart:
    """Bars for (label, pct, highlight) rows; percentages over 100 (never for shares) are capped.

    Example: [("A", "60.05", True), ("B", "39.95", False)] -> two bars 60.05 % and 39.95 % wide,
    the chart 18 + 2 x 46 = 110 px high, with the majority line at 50 % if asked, drawn across each bar
    (36 to 56 and 82 to 102 px) and not across the names written above them.
    """
    bars = []
    for i, (label, pct, highlight) in enumerate(rows):
        value = min(Decimal(pct), Decimal(100))
        top = TOP + i * ROW
        bars.append(Bar(label, pct, f"{value}%", top + 14, top + 20, highlight))
    pieces = tuple((b.y_bar - OVERHANG, b.y_bar + BAR + OVERHANG) for b in bars) if majority_line else ()
    return Chart(tuple(bars), TOP + len(rows) * ROW + 4, "50%" if majority_line else None, pieces)
