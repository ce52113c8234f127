"""The share chart's majority line (issue 17, point 3): drawn across the bars, never through the names."""

from results.outcomes import charts


def test_majority_line_crosses_each_bar_and_no_name():
    chart = charts.share_chart([("A", "60.05", True), ("B", "39.95", False)], majority_line=True)
    assert chart.line_pieces == ((36, 56), (82, 102))  # bars at 38 and 84, 16 px high, 2 px more each side
    for bar, (top, bottom) in zip(chart.bars, chart.line_pieces, strict=True):
        assert top <= bar.y_bar and bar.y_bar + charts.BAR <= bottom  # the whole bar
        assert top > bar.y_text + 3  # below the name's descenders: the line never crosses the name
    assert all(
        bottom < nxt.y_text - 12 for (_, bottom), nxt in zip(chart.line_pieces[:-1], chart.bars[1:], strict=True)
    )


def test_no_majority_line_no_pieces():
    assert charts.share_chart([("A", "60.05", True)], majority_line=False).line_pieces == ()
