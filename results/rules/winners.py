"""Who wins a constituency, as pure functions of its counted figures.

A rule set takes the totals of one constituency for one round (`ContestInput`) and returns a
`Decision`: the status, the elected candidates, and the reasons with the article of law behind each
conclusion. No ORM, no request, integers only; a tie the rules cannot settle is returned as
`tie_unresolved` with the candidates in contention, never settled by ballot order or sort order.

`vn_2015` follows Law 85/2015/QH13 (Arts. 78-80, README "Results");
`plurality` is the plain "most votes win" rule. `RULES` maps the election's rule-set name to them.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import groupby
from typing import Any, NamedTuple

from core.errors import Invalid
from results.rules import birth_dates
from results.rules.percentages import percent

# The values of elections.models.Level, RuleSet and the round kinds, repeated here as plain strings
# so that this module imports without Django (tests check that they stay equal).
NATIONAL_ASSEMBLY = "national_assembly"
PROVINCIAL_COUNCIL = "provincial_council"
DISTRICT_COUNCIL = "district_council"
COMMUNE_COUNCIL = "commune_council"
LEVELS = frozenset({NATIONAL_ASSEMBLY, PROVINCIAL_COUNCIL, DISTRICT_COUNCIL, COMMUNE_COUNCIL})
COUNCIL_LEVELS = LEVELS - {NATIONAL_ASSEMBLY}

REGULAR = "regular"
ADDITIONAL = "additional"  # bầu cử thêm, Art. 79
RE_ELECTION = "re_election"  # bầu cử lại, Art. 80
ROUND_KINDS = frozenset({REGULAR, ADDITIONAL, RE_ELECTION})

DECIDED = "decided"
RE_ELECTION_REQUIRED = "re_election_required"
ADDITIONAL_ELECTION_REQUIRED = "additional_election_required"
TIE_UNRESOLVED = "tie_unresolved"

# Articles of Law 85/2015/QH13 cited in reasons, kept in one place.
ART_QUORUM = "Art. 78(1)"
ART_MAJORITY = "Art. 78(2)"
ART_RANKING = "Art. 78(3)"
ART_TIE = "Art. 78(4)"
ART_ADDITIONAL_NA = "Art. 79(1)"
ART_ADDITIONAL_COUNCIL = "Art. 79(2)"
ART_ADDITIONAL_ROUND = "Art. 79(3)"  # who wins an additional election; no second one
ART_RE_ELECTION = "Art. 80(1)"
ART_RE_ELECTION_ROUND = "Art. 80(4)"  # a re-election's result stands; no third round
PLURALITY_RULE = "plurality rule"


class InvalidContest(Invalid, ValueError):
    """The figures handed to a rule set cannot describe a contest (negative counts, unknown level...)."""


class CandidateInput(NamedTuple):
    """One candidate's votes (a named tuple: a national election makes a hundred thousand of them at once)."""

    id: int
    votes: int
    # An unknown day or month is stored as the 1st / 1 January (the NEC's convention for a voter's age);
    # `born_precision` says how much of it is known, so the age rule orders only what is known (birth_dates.py).
    born: dt.date
    ballot_order: int
    born_precision: str = birth_dates.DAY


@dataclass(frozen=True)
class ContestInput:
    """One constituency, one round, every polling unit counted."""

    level: str
    seats: int  # seats to fill in this round; for an additional election, the seats left unfilled
    voters_on_list: int
    voters_voted: int
    valid_ballots: int
    candidates: tuple[CandidateInput, ...]
    round_kind: str = REGULAR

    def __post_init__(self) -> None:
        # Accept any sequence of candidates but keep the frozen value immutable.
        object.__setattr__(self, "candidates", tuple(self.candidates))
        if self.level not in LEVELS:
            raise InvalidContest(f"unknown level {self.level!r}")
        if self.round_kind not in ROUND_KINDS:
            raise InvalidContest(f"unknown round kind {self.round_kind!r}")
        if self.seats < 1:
            raise InvalidContest(f"a round fills at least one seat, not {self.seats}")
        for name in ("voters_on_list", "voters_voted", "valid_ballots"):
            if getattr(self, name) < 0:
                raise InvalidContest(f"{name} cannot be negative")
        ids = [c.id for c in self.candidates]
        if len(set(ids)) != len(ids):
            raise InvalidContest("candidate ids must be unique")
        if any(c.votes < 0 for c in self.candidates):
            raise InvalidContest("votes cannot be negative")
        if any(c.born_precision not in birth_dates.PRECISIONS for c in self.candidates):
            raise InvalidContest("unknown precision of a date of birth")


@dataclass(frozen=True)
class Reason:
    """One conclusion, in English with its figures, plus the figures alone for translation."""

    code: str
    message: str
    article: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Decision:
    status: str
    elected: tuple[int, ...]  # most votes first; equal votes: older first
    tied: tuple[int, ...] = ()  # only with tie_unresolved: everyone still in contention
    seats_filled: int = 0  # len(elected); with tie_unresolved, the sure winners only
    reasons: tuple[Reason, ...] = ()


# --- The tests of the law, one per article -------------------------------------------------------


def turnout_over_half(voters_voted: int, voters_on_list: int) -> bool:
    """Art. 78(1): a round counts only if more than half of the voters on the list voted.

    Strict and in integers: 500 of 1,000 (exactly half) fails, 501 of 1,000 passes; 0 of 0 fails.
    """
    return 2 * voters_voted > voters_on_list


def has_majority(votes: int, valid_ballots: int) -> bool:
    """Art. 78(2): a candidate needs more than half of the valid ballots.

    Strict and in integers: 3 of 6 does not qualify, 4 of 7 does; with no valid ballot nobody does.
    """
    return 2 * votes > valid_ballots


def below_two_thirds(seats_filled: int, seats: int) -> bool:
    """Art. 79(2): a People's Council holds an additional election only below two-thirds filled.

    "Chưa đủ hai phần ba": filled < 2/3 x seats, i.e. 3 x filled < 2 x seats. Exactly two-thirds does
    not trigger it: 2 of 3 is enough, 3 of 5 (9 < 10) is not, 1 of 3 is not.
    """
    return 3 * seats_filled < 2 * seats


def _order_key(c: CandidateInput) -> tuple[int, dt.date, int, int]:
    # Only for listing: most votes, then older, then ballot order. Who wins is never taken from it.
    return (-c.votes, c.born, c.ballot_order, c.id)


@dataclass(frozen=True)
class _Fill:
    """Seats given from a ranked list.

    `elected` are the sure winners (with those who won by age). `boundary` is set only when equal
    votes at the last seat(s) outnumber the `seats_left` for them: of it, `older` won by age, `tied`
    could not be separated, and the rest lost.
    """

    elected: tuple[CandidateInput, ...]
    boundary: tuple[CandidateInput, ...] = ()
    seats_left: int = 0
    older: tuple[CandidateInput, ...] = ()
    tied: tuple[CandidateInput, ...] = ()

    @property
    def younger(self) -> tuple[CandidateInput, ...]:
        return tuple(c for c in self.boundary if c not in self.older and c not in self.tied)


def _fill_seats(candidates: Sequence[CandidateInput], seats: int, *, by_age: bool) -> _Fill:
    """Give `seats` seats to `candidates` by votes; settle a tie at the boundary by age if `by_age`.

    Candidates with equal votes that all fit in the seats left are all elected. When a group of
    equal votes is larger than the seats left, `by_age` elects those certainly among the oldest
    (`_by_age`); those whose dates of birth cannot be ordered for certain (the same date, or a date known
    only to the month or year) are returned as `tied`. Without `by_age` the whole group is tied.
    """
    elected: list[CandidateInput] = []
    ranked = sorted(candidates, key=lambda c: -c.votes)
    for _votes, same_votes in groupby(ranked, key=lambda c: c.votes):
        left = seats - len(elected)
        if left <= 0:
            break
        group = sorted(same_votes, key=_order_key)
        if len(group) <= left:
            elected.extend(group)
            continue
        boundary = tuple(group)
        if not by_age:
            return _Fill(elected=tuple(elected), boundary=boundary, seats_left=left, tied=_by_ballot(group))
        older, tied = _by_age(group, left)
        elected.extend(older)
        return _Fill(elected=tuple(elected), boundary=boundary, seats_left=left, older=older, tied=_by_ballot(tied))
    return _Fill(elected=tuple(elected))


def _certainly_older(a: CandidateInput, b: CandidateInput) -> bool:
    return birth_dates.certainly_older(a.born, a.born_precision, b.born, b.born_precision)


def _by_age(group: Sequence[CandidateInput], seats: int) -> tuple[tuple[CandidateInput, ...], list[CandidateInput]]:
    """Art. 78(4) for `group` (equal votes) competing for `seats` (< len(group)): (elected by age, tied).

    A candidate takes a seat by age when, whatever the unknown parts of the dates, fewer than `seats` others
    could be as old or older; loses when at least `seats` others are certainly older; anyone else is tied
    (CONTRACT §1). With full dates this is "the older ones first, one date at a time; a date shared by more
    candidates than the seats still open is tied". Example, 1 seat: "1969-12" against "1970-06-15" elects
    the first; "1970" against "1970-06-15" is tied.
    """
    older, tied = [], []
    for c in group:
        as_old_or_older = sum(1 for d in group if d is not c and not _certainly_older(c, d))
        if as_old_or_older < seats:
            older.append(c)
        elif sum(1 for d in group if _certainly_older(d, c)) < seats:
            tied.append(c)
    return tuple(older), tied


def _by_ballot(candidates: Sequence[CandidateInput]) -> tuple[CandidateInput, ...]:
    return tuple(sorted(candidates, key=lambda c: (c.ballot_order, c.id)))


def _ids(candidates: Sequence[CandidateInput]) -> list[int]:
    return [c.id for c in candidates]


def _names(candidates: Sequence[CandidateInput]) -> str:
    """How a message names candidates: candidate 3; candidates 3 and 5; candidates 3, 5 and 8."""
    ids = [str(c.id) for c in candidates]
    if len(ids) == 1:
        return f"candidate {ids[0]}"
    return f"candidates {', '.join(ids[:-1])} and {ids[-1]}"


# --- Reasons -------------------------------------------------------------------------------------


def _reason(code: str, article: str, text: str, **params: Any) -> Reason:
    sentence = text[:1].upper() + text[1:]
    return Reason(code=code, message=f"{sentence} ({article}).", article=article, params=params)


def _turnout_params(c: ContestInput) -> dict[str, Any]:
    return {
        "voters_voted": c.voters_voted,
        "voters_on_list": c.voters_on_list,
        "turnout_pct": percent(c.voters_voted, c.voters_on_list),
    }


def _elected_reason(cand: CandidateInput, c: ContestInput, article: str) -> Reason:
    pct = percent(cand.votes, c.valid_ballots)
    return _reason(
        "elected",
        article,
        f"Candidate {cand.id} is elected with {cand.votes} of {c.valid_ballots} valid ballots, {pct} %",
        candidate=cand.id,
        votes=cand.votes,
        valid_ballots=c.valid_ballots,
        pct_of_valid=pct,
    )


def _is(candidates: Sequence[CandidateInput]) -> str:
    return "is" if len(candidates) == 1 else "are"


def _tie_reasons(fill: _Fill, article: str, *, by_age: bool) -> list[Reason]:
    if not fill.boundary:
        return []
    votes = fill.boundary[0].votes
    left = fill.seats_left
    reasons = []
    if fill.older or fill.younger:
        settled = []
        if fill.older:
            settled.append(f"the older {_names(fill.older)} {_is(fill.older)} elected")
        if fill.younger:
            settled.append(f"the younger {_names(fill.younger)} {_is(fill.younger)} not elected")
        reasons.append(
            _reason(
                "tie_broken_by_age",
                article,
                f"{_names(fill.boundary)} have {votes} votes each for {left} remaining seat(s); "
                f"by date of birth, {' and '.join(settled)}",
                votes=votes,
                seats_left=left,
                candidates=_ids(fill.boundary),
                winners=_ids(fill.older),
                losers=_ids(fill.younger),
            )
        )
    if fill.tied:
        open_seats = left - len(fill.older)
        same_date = ""
        if by_age:
            exact = {(c.born, c.born_precision) for c in fill.tied} == {(fill.tied[0].born, birth_dates.DAY)}
            same_date = " and the same date of birth" if exact else " and dates of birth that do not order them"
        reasons.append(
            _reason(
                "tie_unresolved",
                article,
                f"{_names(fill.tied)} have {votes} votes each{same_date} for {open_seats} remaining seat(s): "
                "the rules cannot settle it, the election committee must decide",
                votes=votes,
                candidates=_ids(fill.tied),
                seats_left=open_seats,
            )
        )
    return reasons


# --- Rule sets -----------------------------------------------------------------------------------


def vn_2015(c: ContestInput, *, explain: bool = True) -> Decision:
    """Law 85/2015/QH13, Arts. 78-80: quorum, majority, ranking, age, then further rounds.

    1. Quorum, Art. 78(1): more than half of the voters on the list must vote. If not, a regular or
       additional round calls for a re-election (Art. 80(1)); a re-election's result stands anyway
       and there is no third round (Art. 80(4)).
    2. Majority, Art. 78(2) (Art. 79(3) in an additional round): only candidates with more than half
       of the valid ballots can win.
    3. Ranking, Art. 78(3): if more qualify than there are seats, those with more votes win.
    4. Tie for the last seat, Art. 78(4): equal votes at the boundary go to the older candidate by
       date of birth; the same date of birth, or dates whose known parts do not order them for certain
       ("1970" against "1970-06-15", CONTRACT §1), cannot be settled -> `tie_unresolved`.
    5. Unfilled seats, Art. 79: the National Assembly holds an additional election on any shortfall
       (79(1)); a People's Council only below two-thirds of its seats (79(2)), otherwise the seats
       stay vacant. No further round follows an additional election or a re-election (79(3), 80(4)).

    Example: 2 seats of a commune council, 1,000 on the list, 800 voted, 790 valid; A 600, B 420
    (born 1960-05-01), C 420 (born 1971-02-10), D 300. Turnout 80.00 % counts; A, B and C have
    more than 395; A takes the first seat; B and C tie at 420 for the last one and B, older, takes it:
    decided, elected (A, B).

    `explain=False` leaves the reasons out (the same decision, for thousands of constituencies at once).
    """
    over_half = turnout_over_half(c.voters_voted, c.voters_on_list)
    if not over_half and c.round_kind != RE_ELECTION:
        return Decision(status=RE_ELECTION_REQUIRED, elected=(), reasons=_quorum_reasons(c) if explain else ())

    majority_article = ART_ADDITIONAL_ROUND if c.round_kind == ADDITIONAL else ART_MAJORITY
    qualified = [cand for cand in c.candidates if has_majority(cand.votes, c.valid_ballots)]
    fill = _fill_seats(qualified, c.seats, by_age=True)
    elected_ids = tuple(cand.id for cand in sorted(fill.elected, key=_order_key))
    filled = len(elected_ids)
    unfilled: tuple[Reason, ...] = ()
    if fill.tied:
        status = TIE_UNRESOLVED
    elif filled < c.seats:
        status, reason = _unfilled(c, filled)
        unfilled = (reason,)
    else:
        status = DECIDED
    reasons: tuple[Reason, ...] = ()
    if explain:
        reasons = (
            *_quorum_reasons(c),
            *_candidate_reasons(c, fill, majority_article),
            *_tie_reasons(fill, ART_TIE, by_age=True),
            *unfilled,
        )
    return Decision(
        status=status,
        elected=elected_ids,
        tied=tuple(cand.id for cand in fill.tied),
        seats_filled=filled,
        reasons=reasons,
    )


def _quorum_reasons(c: ContestInput) -> tuple[Reason, ...]:
    """Why the turnout counts or not (Art. 78(1), 80)."""
    turnout = _turnout_params(c)
    said = f"Turnout {turnout['turnout_pct']} % ({c.voters_voted} of {c.voters_on_list} voters)"
    if turnout_over_half(c.voters_voted, c.voters_on_list):
        return (_reason("turnout_over_half", ART_QUORUM, f"{said} is over half", **turnout),)
    if c.round_kind == RE_ELECTION:
        text = f"{said} is again not over half: the re-election's result is recognised, with no third round"
        return (_reason("turnout_not_over_half_after_re_election", ART_RE_ELECTION_ROUND, text, **turnout),)
    if c.round_kind == ADDITIONAL:  # Art. 78(1): not recognised; Art. 79(3): no second additional election
        text = f"{said} is not over half: the additional election's result is not recognised, and no second one is held"
        return (_reason("turnout_not_over_half_additional", f"{ART_QUORUM}, {ART_ADDITIONAL_ROUND}", text, **turnout),)
    text = f"{said} is not over half: re-election required"
    return (_reason("turnout_not_over_half", f"{ART_QUORUM}, {ART_RE_ELECTION}", text, **turnout),)


def _candidate_reasons(c: ContestInput, fill: "_Fill", majority_article: str) -> list[Reason]:
    """Why each candidate is elected or not, in ballot order (the boundary of a tie: `_tie_reasons`)."""
    reasons = []
    for cand in sorted(c.candidates, key=_order_key):
        if cand in fill.elected:
            reasons.append(_elected_reason(cand, c, majority_article))
        elif not has_majority(cand.votes, c.valid_ballots):
            pct = percent(cand.votes, c.valid_ballots)
            reasons.append(
                _reason(
                    "no_majority",
                    majority_article,
                    f"Candidate {cand.id} is not elected: {cand.votes} of {c.valid_ballots} valid ballots, {pct} %, "
                    "is not more than half",
                    candidate=cand.id,
                    votes=cand.votes,
                    valid_ballots=c.valid_ballots,
                    pct_of_valid=pct,
                )
            )
        elif cand not in fill.boundary:
            reasons.append(
                _reason(
                    "outranked",
                    ART_RANKING,
                    f"Candidate {cand.id} is not elected: {cand.votes} votes are more than half of the valid "
                    f"ballots but fewer than those of the candidates taking the {c.seats} seat(s)",
                    candidate=cand.id,
                    votes=cand.votes,
                    seats=c.seats,
                )
            )
    return reasons


def _unfilled(c: ContestInput, filled: int) -> tuple[str, Reason]:
    """What Art. 79 makes of `filled` < `c.seats`: the status, and the reason for it."""
    figures = {"seats": c.seats, "seats_filled": filled, "seats_unfilled": c.seats - filled}
    short = f"{filled} of {c.seats} seats are filled"
    if c.round_kind != REGULAR:
        # Art. 79 calls an additional election only after the first election, and neither an
        # additional election nor a re-election is ever followed by another round.
        article = ART_ADDITIONAL_ROUND if c.round_kind == ADDITIONAL else ART_RE_ELECTION_ROUND
        kind = "an additional election" if c.round_kind == ADDITIONAL else "a re-election"
        text = f"{short} after {kind}: no further round is held and the result stands"
        return DECIDED, _reason("no_further_round", article, text, **figures)
    if c.level == NATIONAL_ASSEMBLY:
        text = f"{short}: for the National Assembly any shortfall calls for an additional election"
        return ADDITIONAL_ELECTION_REQUIRED, _reason(
            "seats_unfilled_additional_election", ART_ADDITIONAL_NA, text, **figures
        )
    if below_two_thirds(filled, c.seats):
        text = f"{short}, fewer than two-thirds: additional election required"
        return ADDITIONAL_ELECTION_REQUIRED, _reason(
            "seats_unfilled_below_two_thirds", ART_ADDITIONAL_COUNCIL, text, **figures
        )
    text = f"{short}, at least two-thirds: the seat(s) left stay vacant, no additional election"
    return DECIDED, _reason("seats_vacant_no_action", ART_ADDITIONAL_COUNCIL, text, **figures)


def plurality(c: ContestInput, *, explain: bool = True) -> Decision:
    """Most votes win: no turnout quorum, no majority threshold, no age rule.

    The `seats` candidates with the most votes are elected; equal votes straddling the last seat are
    `tie_unresolved`. With no more candidates than seats, all of them are elected.

    Example: 2 seats; A 50, B 40, C 40 -> B and C tie for the second seat: tie_unresolved,
    elected (A,), tied (B, C). With C at 30 instead: decided, elected (A, B).
    """
    fill = _fill_seats(c.candidates, c.seats, by_age=False)
    elected = sorted(fill.elected, key=_order_key)
    reasons = []
    if explain:
        reasons = [_elected_reason(cand, c, PLURALITY_RULE) for cand in elected]
        reasons.extend(_tie_reasons(fill, PLURALITY_RULE, by_age=False))
    return Decision(
        status=TIE_UNRESOLVED if fill.tied else DECIDED,
        elected=tuple(cand.id for cand in elected),
        tied=tuple(cand.id for cand in fill.tied),
        seats_filled=len(elected),
        reasons=tuple(reasons),
    )


RULES: dict[str, Callable[..., Decision]] = {"vn-2015": vn_2015, "plurality": plurality}


def decide(rules: str, c: ContestInput, *, explain: bool = True) -> Decision:
    """Apply the rule set named `rules` (an election's `rules` field) to `c`; KeyError if unknown."""
    try:
        rule = RULES[rules]
    except KeyError:
        raise KeyError(f"unknown rule set {rules!r}; known: {', '.join(sorted(RULES))}") from None
    return rule(c, explain=explain)
