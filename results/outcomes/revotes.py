"""Polling units that voted again after the NEC annulled their result (Art. 81(1)): for a constituency's result
page, its minutes (Art. 77 item d, Arts. 83 and 85 item 2) and its deadlines."""

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Min, Q

from results.models import Tally


@dataclass(frozen=True)
class Revote:
    """A polling unit that voted again after the NEC annulled its result (Art. 81(1)), its re-vote approved."""

    code: str
    name: str
    round: int
    attempt: int
    voters_on_list: int
    voters_voted: int
    reason: str  # why the earlier attempt was annulled
    approved_at: dt.datetime | None


def revotes(constituency: Any, round_number: int | None = None) -> list[Revote]:
    """The approved re-votes of `constituency` (of round `round_number`, or every round), by unit code."""
    found = Tally.objects.filter(constituency=constituency, attempt__gt=1, status=Tally.Status.APPROVED)
    if round_number is not None:
        found = found.filter(round=round_number)
    again = list(
        found.select_related("polling_unit")
        .annotate(approved_at=Min("versions__saved_at", filter=Q(versions__status=Tally.Status.APPROVED)))
        .order_by("polling_unit__code", "round")
    )
    if not again:
        return []
    reasons = {
        (unit, number, attempt): reason
        for unit, number, attempt, reason in Tally.objects.filter(
            constituency=constituency, status=Tally.Status.ANNULLED
        ).values_list("polling_unit_id", "round", "attempt", "annul_reason")
    }
    return [
        Revote(
            t.polling_unit.code,
            t.polling_unit.name,
            t.round,
            t.attempt,
            t.voters_on_list,
            t.voters_voted,
            reasons.get((t.polling_unit_id, t.round, t.attempt - 1), ""),
            t.approved_at,  # type: ignore[attr-defined]
        )
        for t in again
    ]
