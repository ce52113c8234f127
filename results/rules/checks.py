"""The arithmetic of the counting minutes, as pure functions over numbers.

The law (Art. 76(2)) fixes the fields of the minutes and their order; the relations between them
follow from how ballots are counted (Art. 73-74). Each check names
where it comes from. A check returns findings; the rule set decides which refuse a tally (errors)
and which only warn.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from django.utils.formats import number_format
from django.utils.translation import gettext, gettext_noop

ERROR = "error"
WARNING = "warning"

# Art. 76(2), fields 1-6, in the law's order.
FIELDS = ("voters_on_list", "voters_voted", "ballots_issued", "ballots_received", "valid_ballots", "invalid_ballots")


@dataclass(frozen=True)
class TallyInput:
    voters_on_list: int
    voters_voted: int
    ballots_issued: int
    ballots_received: int
    valid_ballots: int
    invalid_ballots: int
    votes: Mapping[str, int]  # candidate code -> votes
    seats: int
    loaded_list: int | None = None  # the loaded voter list's count for this contest, when a list exists


@dataclass(frozen=True)
class Finding:
    code: str
    severity: str
    fields: tuple[str, ...]  # the fields the finding is about: "valid_ballots", "votes.QH-PT-2-01"
    message: str
    source: str
    params: dict[str, object] = field(default_factory=dict)


# Checks a rule set turns into warnings: where voters may register on the day (plurality systems such
# as Canada's), more may vote than the list held in the morning.
WARNING_ONLY = {
    "vn-2015": frozenset(),
    "plurality": frozenset({"voters_voted_above_list", "ballots_issued_above_list"}),
}

# The words of each finding; the entry page shows the same texts while the clerk types.
MESSAGES = {
    "voters_voted_above_list": gettext_noop(
        "Voters who took part (%(voted)s) exceed the voters on the list (%(listed)s)."
    ),
    "ballots_issued_above_list": gettext_noop(
        "Ballots issued (%(issued)s) exceed the voters on the list (%(listed)s)."
    ),
    "ballots_received_above_issued": gettext_noop(
        "Ballots received (%(received)s) exceed ballots issued (%(issued)s)."
    ),
    "valid_plus_invalid_not_received": gettext_noop(
        "Valid (%(valid)s) + invalid (%(invalid)s) = %(total)s, but ballots received are %(received)s."
    ),
    "candidate_above_valid": gettext_noop("%(votes)s votes are more than the %(valid)s valid ballots."),
    "votes_above_valid_times_seats": gettext_noop(
        "The candidates' votes total %(total)s, more than valid ballots x seats (%(valid)s x %(seats)s = %(limit)s)."
    ),
    "list_differs_from_voter_list": gettext_noop(
        "Voters on the list (%(entered)s) differ from the loaded voter list (%(loaded)s)."
    ),
    "issued_differs_from_voted": gettext_noop(
        "Ballots issued (%(issued)s) differ from voters who took part (%(voted)s)."
    ),
    "turnout_series_down": gettext_noop("%(voted)s voters at %(at)s is fewer than %(earlier)s at %(earlier_at)s."),
    "turnout_above_list": gettext_noop("%(voted)s voters who voted is more than the %(listed)s on the list."),
}


def message(code: str, params: Mapping[str, object]) -> str:
    """The words of a finding in the active language, whole numbers grouped as it writes them (4.200, 4,200)."""
    shown = {k: number_format(v, force_grouping=True) if type(v) is int else v for k, v in params.items()}
    return gettext(MESSAGES[code]) % shown


SRC_FIELDS = "Art. 76(2)"
SRC_BALLOTS = "Art. 73-74; spec §6"

# Each check of the minutes: whether it refuses (ERROR) or only warns (WARNING) before a rule set demotes
# it, and where the law says so. The one table of severities: the checks below, the services and the entry
# page (through `classification`) all read it.
KINDS: dict[str, tuple[str, str]] = {
    "voters_voted_above_list": (ERROR, SRC_FIELDS),
    "ballots_issued_above_list": (ERROR, "Art. 69; Art. 76(2)"),
    "ballots_received_above_issued": (ERROR, SRC_BALLOTS),
    "valid_plus_invalid_not_received": (ERROR, SRC_BALLOTS),
    "candidate_above_valid": (ERROR, SRC_BALLOTS),
    "votes_above_valid_times_seats": (ERROR, "Art. 74(1)"),
    "list_differs_from_voter_list": (WARNING, "Art. 76(2); Art. 32"),
    "issued_differs_from_voted": (WARNING, "Art. 69; Art. 73"),
}


def severity(code: str, rules: str) -> str:
    """How a check of the minutes counts under a rule set: "error" refuses the tally, "warning" asks to confirm."""
    base = KINDS[code][0]
    return WARNING if base == ERROR and code in WARNING_ONLY.get(rules, frozenset()) else base


def classification(rules: str) -> dict[str, tuple[str, str]]:
    """Every check of the minutes as (severity under `rules`, legal source), in the order the checks run.

    >>> classification("plurality")["voters_voted_above_list"]
    ('warning', 'Art. 76(2)')
    """
    return {code: (severity(code, rules), source) for code, (_base, source) in KINDS.items()}


def _finding(code: str, fields: tuple[str, ...], params: dict[str, object], words: Mapping[str, object]) -> Finding:
    base, source = KINDS[code]
    return Finding(code, base, fields, message(code, words), source, params)


def voters_voted_within_list(t: TallyInput) -> list[Finding]:
    """Voters who took part (field 2) cannot exceed the voters on the list (field 1), Art. 76(2).

    812 on the list, 813 voted -> error.
    """
    if t.voters_voted <= t.voters_on_list:
        return []
    p: dict[str, object] = {"voted": t.voters_voted, "listed": t.voters_on_list}
    return [_finding("voters_voted_above_list", ("voters_voted",), p, p)]


def ballots_issued_within_list(t: TallyInput) -> list[Finding]:
    """Ballots issued (field 3) cannot exceed the voters on the list (field 1): one ballot a voter (Art. 69)."""
    if t.ballots_issued <= t.voters_on_list:
        return []
    p: dict[str, object] = {"issued": t.ballots_issued, "listed": t.voters_on_list}
    return [_finding("ballots_issued_above_list", ("ballots_issued",), p, p)]


def ballots_received_within_issued(t: TallyInput) -> list[Finding]:
    """Ballots received (field 4) cannot exceed ballots issued (field 3): the box holds only issued ballots."""
    if t.ballots_received <= t.ballots_issued:
        return []
    p: dict[str, object] = {"received": t.ballots_received, "issued": t.ballots_issued}
    return [_finding("ballots_received_above_issued", ("ballots_received",), p, p)]


def valid_plus_invalid_is_received(t: TallyInput) -> list[Finding]:
    """Every ballot taken from the box is valid or invalid (Art. 74): valid + invalid = received.

    805 valid + 5 invalid = 810 received -> fine; 805 + 4 -> error on both fields.
    """
    total = t.valid_ballots + t.invalid_ballots
    if total == t.ballots_received:
        return []
    p: dict[str, object] = {
        "valid": t.valid_ballots,
        "invalid": t.invalid_ballots,
        "total": total,
        "received": t.ballots_received,
    }
    return [_finding("valid_plus_invalid_not_received", ("valid_ballots", "invalid_ballots"), p, p)]


def candidate_within_valid(t: TallyInput) -> list[Finding]:
    """A candidate gets at most one vote per valid ballot: votes <= valid ballots (Art. 74)."""
    return [
        _finding(
            "candidate_above_valid",
            (f"votes.{code}",),
            {"candidate": code, "votes": votes, "valid": t.valid_ballots},
            {"votes": votes, "valid": t.valid_ballots},
        )
        for code, votes in t.votes.items()
        if votes > t.valid_ballots
    ]


def votes_within_valid_times_seats(t: TallyInput) -> list[Finding]:
    """A valid ballot keeps at most as many names as there are seats (Art. 74(1)(c)).

    So the candidates' votes together are at most valid ballots x seats: 805 valid, 3 seats -> 2,415.
    """
    total, limit = sum(t.votes.values()), t.valid_ballots * t.seats
    if total <= limit:
        return []
    p: dict[str, object] = {"total": total, "valid": t.valid_ballots, "seats": t.seats, "limit": limit}
    return [_finding("votes_above_valid_times_seats", ("votes",), p, p)]


def list_matches_loaded_list(t: TallyInput) -> list[Finding]:
    """Warning: field 1 differs from the loaded voter list (late additions or transfers may explain it)."""
    if t.loaded_list is None or t.loaded_list == t.voters_on_list:
        return []
    p: dict[str, object] = {"entered": t.voters_on_list, "loaded": t.loaded_list}
    return [_finding("list_differs_from_voter_list", ("voters_on_list",), p, p)]


def issued_matches_voted(t: TallyInput) -> list[Finding]:
    """Warning: each voter who took part got one ballot, so ballots issued normally equal voters who voted."""
    if t.ballots_issued == t.voters_voted:
        return []
    p: dict[str, object] = {"issued": t.ballots_issued, "voted": t.voters_voted}
    return [_finding("issued_differs_from_voted", ("ballots_issued",), p, p)]


CHECKS = (
    voters_voted_within_list,
    ballots_issued_within_list,
    ballots_received_within_issued,
    valid_plus_invalid_is_received,
    candidate_within_valid,
    votes_within_valid_times_seats,
    list_matches_loaded_list,
    issued_matches_voted,
)


def check_tally(t: TallyInput, *, rules: str = "vn-2015") -> list[Finding]:
    """Every finding for one tally, with the rule set's severities."""
    found = []
    for check in CHECKS:
        for f in check(t):
            shown = severity(f.code, rules)
            found.append(f if shown == f.severity else Finding(f.code, shown, f.fields, f.message, f.source, f.params))
    return found


def errors(findings: Sequence[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity == ERROR]


def warnings(findings: Sequence[Finding]) -> list[Finding]:
    """The findings a clerk confirms before submitting: lawful minutes may show them (the rule set says which)."""
    return [f for f in findings if f.severity == WARNING]


def turnout_series_goes_down(series: Sequence[tuple[str, int]]) -> list[Finding]:
    """Warning: voters who have voted can only grow through the day; a report below an earlier one is a mistake.

    [("09:00", 300), ("11:00", 280)] -> a warning on 11:00.
    """
    found = []
    best_time, best = None, None
    for at, voted in series:
        if best is not None and voted < best:
            found.append(
                Finding(
                    "turnout_series_down",
                    WARNING,
                    (at,),
                    message(
                        "turnout_series_down", {"voted": voted, "at": at, "earlier": best, "earlier_at": best_time}
                    ),
                    "Art. 71",
                    {"at": at, "voted": voted, "earlier": best, "earlier_at": best_time},
                )
            )
        if best is None or voted >= best:
            best_time, best = at, voted
    return found
