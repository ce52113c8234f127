"""Decisions of a competent body that close a constituency without a further round (CONTRACT §10).

Three situations leave a constituency where the rules alone can go no further:
- the rules call for an additional election and the NEC decides not to hold one (a National Assembly seat,
  Art. 79(1): in 2016 four seats stayed vacant), or a second round ended where no third may follow (an
  additional election whose turnout is not over half: no second additional election, Art. 79(3); no second
  re-election, Art. 80(4)): `seats_left_vacant`;
- a tie for the last seat(s) that the age rule of Art. 78(4) cannot settle (the same date of birth, or dates
  known only in part, CONTRACT §1): the competent body names who takes the open seats, `tie_settled`.

Both make the status `decided`. Pure: the rules' `Decision` and the decision's figures in, a `Decision` out.
"""

from collections.abc import Sequence
from dataclasses import replace

from results.rules import winners as rules

SEATS_LEFT_VACANT = "seats_left_vacant"
TIE_SETTLED = "tie_settled"
KINDS = (SEATS_LEFT_VACANT, TIE_SETTLED)

# What a tie settlement can be refused for.
NOT_TIED = "not_tied"
REPEATED = "repeated"
WRONG_COUNT = "wrong_count"


def may_close(kind: str, status: str, round_number: int) -> bool:
    """Whether a decision of `kind` may close a round whose result has `status` (CONTRACT §10).

    `seats_left_vacant`: the status calls for an additional election (Art. 79(1), 79(2)), or a second round
    calls for another round, which the law never holds (Arts. 79(3), 80(4)). `tie_settled`: the status is
    `tie_unresolved` (Art. 78(4)). A decided or incomplete result takes neither.
    Examples: round 1 additional_election_required -> seats_left_vacant; round 2 (an additional election)
    re_election_required -> seats_left_vacant; round 1 re_election_required -> neither (a re-election is held).
    """
    if kind == SEATS_LEFT_VACANT:
        further = (rules.ADDITIONAL_ELECTION_REQUIRED, rules.RE_ELECTION_REQUIRED)
        return status == rules.ADDITIONAL_ELECTION_REQUIRED or (round_number >= 2 and status in further)
    if kind == TIE_SETTLED:
        return status == rules.TIE_UNRESOLVED
    return False


def tie_settlement_problem(chosen: Sequence[int], *, tied: Sequence[int], open_seats: int) -> str | None:
    """Why `chosen` cannot settle the tie, or None: the chosen are among the `tied`, each once, and fill exactly
    the `open_seats` (CONTRACT §10). Example: tied (3, 5, 8) for 1 seat: (5,) -> None; (5, 8) -> wrong_count;
    (2,) -> not_tied; (5, 5) -> repeated."""
    if len(set(chosen)) != len(chosen):
        return REPEATED
    if not set(chosen) <= set(tied):
        return NOT_TIED
    if len(chosen) != open_seats:
        return WRONG_COUNT
    return None


def open_seats(decision: rules.Decision, seats: int) -> int:
    """The seats a tie leaves open: the round's seats less its sure winners (2 seats, 1 sure winner -> 1)."""
    return seats - decision.seats_filled


def apply_closing(
    decision: rules.Decision, kind: str, chosen: Sequence[int], *, seats: int, round_number: int
) -> rules.Decision:
    """The rules' `decision` of a round as a recorded decision of `kind` closes it.

    `seats_left_vacant`: `decided`, with the winners the rules found (none when the turnout failed).
    `tie_settled`: `decided`, the sure winners and the `chosen` among the tied. A decision that no longer fits
    the figures (a correction since changed the result) is ignored: the rules' decision stands as it is.
    Example: 2 seats, A elected, B and C tied (same date of birth); settled for C -> decided, elected (A, C).
    """
    if not may_close(kind, decision.status, round_number):
        return decision
    if kind == SEATS_LEFT_VACANT:
        return replace(decision, status=rules.DECIDED)
    if tie_settlement_problem(chosen, tied=decision.tied, open_seats=open_seats(decision, seats)) is not None:
        return decision
    ordered = tuple(cid for cid in decision.tied if cid in set(chosen))
    return replace(
        decision,
        status=rules.DECIDED,
        elected=(*decision.elected, *ordered),
        tied=(),
        seats_filled=decision.seats_filled + len(ordered),
    )


def closing_article(kind: str, *, level: str, round_kind: str) -> str:
    """The article a closing decision rests on.

    A tie: Art. 78(4). Seats left vacant after the first election: Art. 79(1) for the National Assembly (the NEC
    decides whether to hold an additional election), Art. 79(2) for a council; after an additional election,
    Art. 79(3) (no second one); after a re-election, Art. 80(4) (no second one).
    """
    if kind == TIE_SETTLED:
        return rules.ART_TIE
    if round_kind == rules.ADDITIONAL:
        return rules.ART_ADDITIONAL_ROUND
    if round_kind == rules.RE_ELECTION:
        return "Art. 80(4)"
    return rules.ART_ADDITIONAL_NA if level == rules.NATIONAL_ASSEMBLY else rules.ART_ADDITIONAL_COUNCIL
