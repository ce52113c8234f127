"""Issue 17, point 9: the margin text never calls anyone "elected" while units are still to be counted."""

from django.utils import translation

from results.outcomes.wording import explain
from results.rules.margins import BEYOND_THE_LAW
from results.rules.winners import Reason


def test_the_last_seat_margin_names_who_holds_it_so_far_not_the_last_elected():
    reason = Reason(
        code="margin_last_seat",
        message="fallback",
        article=BEYOND_THE_LAW,
        params={"candidate": 2, "last_elected": 1, "margin": 40, "pending_voters": 700, "votes": 300},
    )
    with translation.override("en"):
        text = explain(reason, {1: "Nguyễn Văn A", 2: "Trần Thị B"})
    assert text.startswith("Trần Thị B trails Nguyễn Văn A, who holds the last seat on the figures so far, by 40")
    assert "elected" not in text
