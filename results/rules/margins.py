"""Margin check, beyond the law: can the voters of units not yet counted change who is elected?

When polling units are missing or annulled (Art. 81: the unit votes again), a committee wants to know
whether waiting for them matters. The law does not ask this; it is arithmetic on the figures counted so
far. A pending unit can add at most its voters on the list to the voters who voted, to the valid ballots
and to any one candidate (each ballot gives a candidate at most one vote, Art. 74). If no way of casting
those ballots changes the status or the elected candidates, the re-vote "cannot change the outcome".

The check is exact for each test on its own and safe overall: it says "can change" whenever one test
leaves room (the quorum, the majority line, the last seat), even if a single count could not use all
of that room at once. Pure: integers in, a `MarginCheck` out.
"""

from collections.abc import Sequence
from dataclasses import dataclass, replace

from results.rules import birth_dates
from results.rules import winners as rules
from results.rules.winners import CandidateInput, ContestInput, Decision, Reason

BEYOND_THE_LAW = "margin check"


@dataclass(frozen=True)
class PendingUnit:
    code: str
    voters_on_list: int | None  # None when nobody knows how many voters it has
    annulled: bool = False  # its result was annulled (Art. 81): it votes again


@dataclass(frozen=True)
class MarginCheck:
    can_change: bool
    pending_units: tuple[str, ...]
    pending_voters: int | None  # None when a pending unit's voters are unknown
    baseline: Decision | None  # the decision if nobody at the pending units voted
    reasons: tuple[Reason, ...] = ()
    annulled_only: bool = False  # every pending unit was annulled and votes again


def _reason(code: str, text: str, **params: object) -> Reason:
    return Reason(code=code, message=f"{text} ({BEYOND_THE_LAW}).", article=BEYOND_THE_LAW, params=dict(params))


def _units(codes: Sequence[str]) -> str:
    return ", ".join(codes)


def margin_check(rule_set: str, counted: ContestInput, pending: Sequence[PendingUnit]) -> MarginCheck:
    """Can the `pending` units' voters change the decision of `rule_set` on the `counted` figures?

    `counted` holds the sums of the units counted so far (its `voters_on_list` without the pending
    units). With r voters on the lists of the pending units, the final count has L + r voters on the
    list, between V and V + r voters who voted, between B and B + r valid ballots, and each candidate
    gains between 0 and r votes. The outcome cannot change when, for every such count:

    - quorum (Art. 78(1), vn-2015 only): 2V > L + r (passes whatever happens), or 2V + r <= L (fails
      whatever happens: a re-election in any case);
    - majority line (Art. 78(2)): every winner keeps more than half: 2 x votes > B + r; every other
      candidate stays at half or below even with all r votes: 2 x votes + r <= B;
    - last seat (Art. 78(3)-(4), plurality too): no other candidate can reach the last winner:
      votes + r < the last winner's votes (equal votes would go to a tie-break).

    Example: 2 seats; counted 1,000 on the list, 900 voted, 880 valid; A 700, B 600, C 200; one unit
    of 80 voters missing. Quorum: 1,800 > 1,080 passes anyway. A and B keep more than half (1,400 and
    1,200 > 880 + 80); C cannot reach it (400 + 80 <= 880): the unit cannot change the outcome. With B
    at 470 instead, 940 is not more than 960: 80 more valid ballots could leave B at half, so it can.
    """
    found = _check(rule_set, counted, pending)
    return replace(found, annulled_only=bool(pending) and all(p.annulled for p in pending))


def _check(rule_set: str, counted: ContestInput, pending: Sequence[PendingUnit]) -> MarginCheck:
    codes = tuple(p.code for p in pending)
    if not pending:
        return MarginCheck(False, (), 0, rules.decide(rule_set, counted))
    if any(p.voters_on_list is None for p in pending):
        unknown = [p.code for p in pending if p.voters_on_list is None]
        return MarginCheck(
            True,
            codes,
            None,
            None,
            (
                _reason(
                    "margin_voters_unknown",
                    f"The voters on the list of {_units(unknown)} are not known, so they may change the outcome",
                    units=unknown,
                ),
            ),
        )
    r = sum(p.voters_on_list or 0 for p in pending)
    baseline_input = replace(counted, voters_on_list=counted.voters_on_list + r)
    baseline = rules.decide(rule_set, baseline_input)
    if r == 0:
        return MarginCheck(False, codes, 0, baseline)
    reasons: list[Reason] = []
    if rule_set == "vn-2015":
        quorum = _quorum(baseline_input, r, codes)
        if quorum is not None:
            return MarginCheck(quorum[0], codes, r, baseline, (quorum[1],))
    reasons += _seats(rule_set, baseline_input, baseline, r, codes)
    if reasons:
        return MarginCheck(True, codes, r, baseline, tuple(reasons))
    return MarginCheck(
        False,
        codes,
        r,
        baseline,
        (
            _reason(
                "margin_cannot_change",
                f"The {r} voters of {_units(codes)} cannot change the status or who is elected",
                units=list(codes),
                pending_voters=r,
            ),
        ),
    )


def _quorum(c: ContestInput, r: int, codes: tuple[str, ...]) -> tuple[bool, Reason] | None:
    """None when the quorum passes whatever the pending units do (or does not matter: a re-election)."""
    voted, listed = c.voters_voted, c.voters_on_list  # listed already includes the pending units
    if c.round_kind == rules.RE_ELECTION or 2 * voted > listed:
        return None
    params = {"voters_voted": voted, "voters_on_list": listed, "pending_voters": r, "units": list(codes)}
    if 2 * (voted + r) <= listed:
        return False, _reason(
            "margin_quorum_fails_anyway",
            f"Even if all {r} voters of {_units(codes)} voted, turnout would not be over half "
            f"({voted + r} of {listed}): the status cannot change",
            **params,
        )
    return True, _reason(
        "margin_quorum",
        f"{voted} of {listed} voters voted; the {r} voters of {_units(codes)} decide whether turnout is over half",
        **params,
    )


def _seats(rule_set: str, c: ContestInput, baseline: Decision, r: int, codes: tuple[str, ...]) -> list[Reason]:
    by_id = {cand.id: cand for cand in c.candidates}
    winners = [by_id[i] for i in baseline.elected]
    others = [cand for cand in c.candidates if cand.id not in baseline.elected]
    valid = c.valid_ballots
    found: list[Reason] = []
    if baseline.tied:
        found.append(
            _reason(
                "margin_tie",
                f"Candidates {', '.join(map(str, baseline.tied))} are tied for the last seat; "
                f"the {r} voters of {_units(codes)} can break the tie",
                candidates=list(baseline.tied),
                pending_voters=r,
            )
        )
        return found
    majority = rule_set == "vn-2015"
    if majority:
        found.extend(
            _reason(
                "margin_majority_winner",
                f"Candidate {w.id} has {w.votes} of {valid} valid ballots; {r} more valid ballots "
                "could leave it at half or below",
                candidate=w.id,
                votes=w.votes,
                valid_ballots=valid,
                pending_voters=r,
                margin=2 * w.votes - valid,
            )
            for w in winners
            if not 2 * w.votes > valid + r
        )
    seat_free = baseline.seats_filled < c.seats
    last = min(winners, key=lambda w: (w.votes, -w.born.toordinal())) if winners else None
    for cand in others:
        can_qualify = not majority or 2 * cand.votes + r > valid
        if not can_qualify:
            continue
        if seat_free:
            found.append(
                _reason(
                    "margin_majority_other",
                    f"Candidate {cand.id} has {cand.votes} of {valid} valid ballots; with {r} more votes "
                    "it could pass half and take a seat left unfilled",
                    candidate=cand.id,
                    votes=cand.votes,
                    valid_ballots=valid,
                    pending_voters=r,
                    margin=valid - 2 * cand.votes,
                )
            )
        elif last is not None and _can_reach(cand, last, r, by_age=majority):
            found.append(
                _reason(
                    "margin_last_seat",
                    f"Candidate {cand.id} ({cand.votes}) trails candidate {last.id}, last seat so far, "
                    f"({last.votes}) by {last.votes - cand.votes} votes; the {r} voters of {_units(codes)} "
                    "could close the gap",
                    candidate=cand.id,
                    votes=cand.votes,
                    last_elected=last.id,
                    last_elected_votes=last.votes,
                    margin=last.votes - cand.votes,
                    pending_voters=r,
                )
            )
    return found


def _can_reach(cand: CandidateInput, last: CandidateInput, r: int, *, by_age: bool) -> bool:
    """Could `cand`, with up to `r` more votes, take the seat of `last` (who gains none)?"""
    top = cand.votes + r
    if top != last.votes:
        return top > last.votes
    # Equal votes: under vn-2015 the older takes the seat (Art. 78(4)); unless `last` is certainly older, the tie is
    # won by `cand` or unresolved (the same date, or dates known only in part, CONTRACT §1): a change either way.
    return not by_age or not birth_dates.certainly_older(last.born, last.born_precision, cand.born, cand.born_precision)
