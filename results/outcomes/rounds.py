"""A constituency's rounds (the current one, its kind, the deadline of a second round) and the statuses of a result."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from elections.models import Candidate, Constituency, Election
from results.models import ConstituencyRound
from results.rules import second_rounds
from results.rules import winners as rules

INCOMPLETE = "incomplete"


STATUSES = (
    INCOMPLETE,
    rules.RE_ELECTION_REQUIRED,
    rules.ADDITIONAL_ELECTION_REQUIRED,
    rules.TIE_UNRESOLVED,
    rules.DECIDED,
)


def second_round_days(election: Election) -> int:
    """The days after election day a second round may be held: the election's own setting, else the law in force
    on election day (Arts. 79(3), 80(4), 81(2): 7 days from 1 July 2025, 15 before; rules/second_rounds.py)."""
    if election.second_round_deadline_days is not None:
        return election.second_round_deadline_days
    return second_rounds.second_round_days(election.election_day)


def second_round_deadline(election: Election) -> dt.date:
    """The last day for a re-election or an additional election: election day + `second_round_days`.

    Examples: 23 May 2021 + 15 days -> 7 June 2021; 15 March 2026 + 7 days -> 22 March 2026.
    """
    return second_rounds.second_round_deadline(election.election_day, second_round_days(election))


def _kind(kind: str) -> str:
    """The kind of a round 2 set without a round row: as recorded if it is a further round, else a re-election."""
    return kind if kind in (rules.RE_ELECTION, rules.ADDITIONAL) else rules.RE_ELECTION


@dataclass(frozen=True)
class RoundInfo:
    number: int
    kind: str
    seats: int  # seats this round fills
    ballot: frozenset[int] | None  # candidate ids on this round's ballot; None: every candidate
    row: ConstituencyRound | None = None


def round_info(constituency: Constituency, number: int | None = None) -> RoundInfo:
    """The round `number` (the current one by default) of `constituency`: kind, seats and ballot."""
    number = number or constituency.current_round
    if number == 1:
        return RoundInfo(1, rules.REGULAR, constituency.seats, None)
    row = ConstituencyRound.objects.filter(constituency=constituency, number=number).first()
    if row is None:  # set by hand without a round row: a re-election of the whole list, the law's default
        return RoundInfo(number, _kind(constituency.current_round_kind), constituency.seats, None)
    return RoundInfo(number, row.kind, row.seats, frozenset(row.candidates.values_list("pk", flat=True)), row)


def ballot(constituency: Constituency, number: int | None = None) -> tuple[RoundInfo, list[Candidate]]:
    """The round (the current one by default) and the candidates on its ballot, in ballot order.

    Round 1 and a re-election put every candidate on the ballot (Art. 80(4): the candidates of the first
    election); an additional election only those not yet elected (Art. 79), as fixed when the round opened.
    """
    info = round_info(constituency, number)
    candidates = sorted(constituency.candidates.all(), key=lambda c: c.ballot_order)
    if info.ballot is not None:
        candidates = [c for c in candidates if c.pk in info.ballot]
    return info, candidates


def current_ballots(election: Election) -> dict[int, RoundInfo]:
    """The current round of every constituency of `election` past round 1, by constituency id: its seats and
    ballot (None: every candidate). Constituencies in round 1 are left out (their ballot is the whole list)."""
    later = {
        pk: (number, kind, seats)
        for pk, number, kind, seats in Constituency.objects.filter(election=election, current_round__gt=1).values_list(
            "pk", "current_round", "current_round_kind", "seats"
        )
    }
    rows = _rounds_of(list(later), election) if later else {}
    return {
        cid: rows.get((cid, number)) or RoundInfo(number, _kind(kind), seats, None)
        for cid, (number, kind, seats) in later.items()
    }


def _rounds_of(constituency_ids: Iterable[int] | None, election: Election) -> dict[tuple[int, int], RoundInfo]:
    qs = ConstituencyRound.objects.filter(election=election)
    if constituency_ids is not None:
        qs = qs.filter(constituency_id__in=list(constituency_ids))
    ballots: dict[int, set[int]] = defaultdict(set)
    rows = list(qs)
    through = ConstituencyRound.candidates.through
    for round_id, cand_id in through.objects.filter(constituencyround__in=[r.pk for r in rows]).values_list(
        "constituencyround_id", "candidate_id"
    ):
        ballots[round_id].add(cand_id)
    return {
        (r.constituency_id, r.number): RoundInfo(r.number, r.kind, r.seats, frozenset(ballots[r.pk]), r) for r in rows
    }
