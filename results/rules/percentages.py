"""Arithmetic for results: percentages as the minutes print them, and roll-ups of tallies.

Pure functions over integers. Percentages are computed exactly with integers (never floats) and
returned as strings with exactly two decimals, the way the NEC asks them to be written: rounded half
up on the third decimal (22.565 % -> "22.57").
"""

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

# Two decimals of a percentage: the share is counted in ten-thousandths of the whole.
_SCALE = 100 * 100


def _check_counts(*counts: int) -> None:
    for count in counts:
        if count < 0:
            raise ValueError(f"counts cannot be negative: {count}")


def _format_hundredths(hundredths: int) -> str:
    whole, cents = divmod(hundredths, 100)
    return f"{whole}.{cents:02d}"


def percent_hundredths(part: int, whole: int) -> int:
    """`part` over `whole` in hundredths of a percent, rounded half up; 0 when `whole` is 0.

    Exact integer arithmetic: 1 of 8 is 12.5 % -> 1250; 201 of 20,000 is 1.005 % -> 101 (a float
    would give 100, since 1.005 has no exact binary form).
    """
    _check_counts(part, whole)
    if whole == 0:
        return 0
    quotient, remainder = divmod(part * _SCALE, whole)
    # Half up: round away from zero when the dropped fraction is at least one half.
    if 2 * remainder >= whole:
        quotient += 1
    return quotient


def percent(part: int, whole: int) -> str:
    """`part` as a percentage of `whole`: two decimals, rounded half up, "0.00" when `whole` is 0.

    9,850 voters of 9,876 on the list -> "99.74"; 2 of 3 -> "66.67"; 1 of 8 -> "12.50".
    """
    return _format_hundredths(percent_hundredths(part, whole))


def percents_to_100(parts: Sequence[int], whole: int) -> list[str]:
    """Percentages of `whole` for each of `parts`, adjusted so that they total exactly 100.00.

    The NEC asks that the components of a minute "total 100 %". Rounding each share on its own can
    miss by a hundredth (three equal parts: 33.33 + 33.33 + 33.33 = 99.99), so when the parts make up
    the whole we use the largest-remainder method on two-decimal shares:

    1. express each share exactly in hundredths of a percent and keep its integer part (round down);
    2. the hundredths still missing to reach 100.00 (always fewer than the number of parts) go one
       each to the shares with the largest dropped fractions;
    3. among shares whose dropped fractions are equal, the larger part goes first, then the one
       earlier in `parts` (the only arbitrary step; it keeps the result deterministic).

    Every share therefore ends within 0.01 of its exact value, and whenever rounding each share half
    up already totals 100.00 the result is exactly those half-up figures.

    Example: parts (1, 1, 1) of 3 -> exact 33.333...: floors 33.33 each, one hundredth is missing,
    the three fractions are equal, so the first part takes it: ["33.34", "33.33", "33.33"].

    When the parts do not add up to `whole` (a multi-seat contest: each ballot may carry several
    votes) there is nothing to make total 100, so each share is rounded half up on its own.
    `whole == 0` gives "0.00" for every part.
    """
    _check_counts(whole, *parts)
    if whole == 0 or sum(parts) != whole:
        return [percent(part, whole) for part in parts]
    floors: list[int] = []
    fractions: list[int] = []  # the dropped fraction of each share, as a numerator over `whole`
    for part in parts:
        floor, fraction = divmod(part * _SCALE, whole)
        floors.append(floor)
        fractions.append(fraction)
    missing = _SCALE - sum(floors)
    order = sorted(range(len(parts)), key=lambda i: (-fractions[i], -parts[i], i))
    for i in order[:missing]:
        floors[i] += 1
    return [_format_hundredths(hundredths) for hundredths in floors]


@dataclass(frozen=True)
class TallyFigures:
    """The figures of a counting minute (Art. 76(2)), for one unit or summed over many.

    `votes` maps a candidate id to that candidate's votes.
    """

    voters_on_list: int
    voters_voted: int
    ballots_issued: int
    ballots_received: int
    valid_ballots: int
    invalid_ballots: int
    votes: Mapping[int, int] = field(default_factory=dict)


def sum_tallies(tallies: Iterable[TallyFigures]) -> TallyFigures:
    """Field-wise sums of `tallies`, with votes summed per candidate id.

    A candidate missing from one tally counts 0 there; candidates keep the order in which they are
    first met. No tallies at all give all zeros and no votes.
    Example: units with 812 and 640 voters on the list, votes {1: 700} and {1: 500, 2: 90}
    -> 1,452 voters on the list, votes {1: 1200, 2: 90}.
    """
    voters_on_list = voters_voted = ballots_issued = ballots_received = valid_ballots = invalid_ballots = 0
    votes: dict[int, int] = {}
    for tally in tallies:
        voters_on_list += tally.voters_on_list
        voters_voted += tally.voters_voted
        ballots_issued += tally.ballots_issued
        ballots_received += tally.ballots_received
        valid_ballots += tally.valid_ballots
        invalid_ballots += tally.invalid_ballots
        for candidate, count in tally.votes.items():
            votes[candidate] = votes.get(candidate, 0) + count
    return TallyFigures(
        voters_on_list=voters_on_list,
        voters_voted=voters_voted,
        ballots_issued=ballots_issued,
        ballots_received=ballots_received,
        valid_ballots=valid_ballots,
        invalid_ballots=invalid_ballots,
        votes=votes,
    )
