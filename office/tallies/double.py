"""Double entry on the office pages (issue 16, CONTRACT §12): the lines on which the two entries disagree."""

from dataclasses import dataclass

from office.tallies.forms import TallyForm
from results.tallies import double_entry


@dataclass(frozen=True)
class DifferenceRow:
    """A line on which the two entries disagree, for both entrants and the reviewer: the line and both values."""

    anchor: str
    label: str
    first: int | None
    second: int | None


def difference_rows(form: TallyForm, standing: double_entry.Standing) -> list[DifferenceRow]:
    """Shown once both entries are complete, never to a second entrant still typing blind."""
    if not standing.on or standing.blind or not standing.both_complete:
        return []
    rows = []
    for d in standing.differences:
        name = form.field_for_path(d.path) or d.path
        rows.append(DifferenceRow(form.anchor_of(name), form.label_of(name), d.first, d.second))
    return rows
