"""Results of constituencies, areas and contests from the approved tallies (interfaces §3).

The database side of the results engine. Sums come from a few SQL `GROUP BY` queries over Tally and
TallyVote (never a Python loop over tallies); the law is applied by the pure `rules.decide` and the
percentages by `aggregation.percent`.

Counted units are those whose tally for the constituency's round is approved; an annulled unit is not
counted until its re-vote is approved. A constituency is `incomplete` while any of its units is not
counted.

Each constituency's result per round is cached in `ConstituencyResult.data` together with a
fingerprint of what it was computed from (the round, its seats and ballot, the rule set, the number of
units and candidates, and the count, version sum and newest id of the round's tallies). Every change of
a tally (approval, correction, annulment, a new attempt) bumps its version or adds a row, so it changes
the fingerprint, and the next read recomputes just the constituencies that changed.
"""

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Case,
    IntegerField,
    Q,
    QuerySet,
    Value,
    When,
)

from elections.models import Candidate, Constituency, PollingUnitConstituency
from results.models import FIGURES, ConstituencyDecision, ConstituencyRound, Flag, Tally
from results.outcomes.cache import (
    _refresh,
    _Target,
)
from results.outcomes.rounds import (
    INCOMPLETE,
    RoundInfo,
    _kind,
    _rounds_of,
    second_round_deadline,
)
from results.rules import closing, margins
from results.rules import winners as rules
from results.rules.percentages import percent

APPROVED = Tally.Status.APPROVED


# --- rounds -------------------------------------------------------------------------------------


# --- computing and caching one round of many constituencies ---------------------------------------


# --- what pages and the API show ------------------------------------------------------------------


@dataclass
class CandidateResult:
    id: int
    code: str
    full_name: str
    date_of_birth: str
    affiliation: str
    ballot_order: int
    votes: int
    pct_of_valid: str
    elected: bool
    tied: bool = False
    round: int = 1  # the round the figures are from (earlier winners of an additional election: 1)


@dataclass
class Figures:
    voters_on_list: int = 0
    voters_voted: int = 0
    ballots_issued: int = 0
    ballots_received: int = 0
    valid_ballots: int = 0
    invalid_ballots: int = 0

    @property
    def turnout_pct(self) -> str:
        return percent(self.voters_voted, self.voters_on_list)

    @property
    def valid_pct(self) -> str:
        return percent(self.valid_ballots, self.ballots_received)

    @property
    def invalid_pct(self) -> str:
        return percent(self.invalid_ballots, self.ballots_received)

    def add(self, other: "Figures") -> None:
        for name in FIGURES:
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict[str, Any]:
        return {
            "voters_on_list": self.voters_on_list,
            "voters_voted": self.voters_voted,
            "turnout_pct": self.turnout_pct,
            "ballots_issued": self.ballots_issued,
            "ballots_received": self.ballots_received,
            "valid_ballots": self.valid_ballots,
            "invalid_ballots": self.invalid_ballots,
            "valid_pct": self.valid_pct,
            "invalid_pct": self.invalid_pct,
        }


@dataclass
class RoundResult:
    """One round of one constituency as counted (the cached data, with names)."""

    number: int
    kind: str
    seats: int
    polling_units: int
    polling_units_counted: int
    figures: Figures
    status: str
    elected: list[int]
    tied: list[int]
    seats_filled: int
    reasons: list[rules.Reason]
    votes: dict[int, int]
    ballot: list[int]


def _round_result(data: dict[str, Any]) -> RoundResult:
    return RoundResult(
        number=data["round"],
        kind=data["round_kind"],
        seats=data["round_seats"],
        polling_units=data["polling_units"],
        polling_units_counted=data["polling_units_counted"],
        figures=Figures(**data["figures"]),
        status=data["status"],
        elected=list(data["elected"]),
        tied=list(data["tied"]),
        seats_filled=data["seats_filled"],
        reasons=[],
        votes=dict(data["votes"]),
        ballot=list(data["votes"]),
    )


@dataclass
class ConstituencyOutcome:
    """The result of a constituency as interfaces §3 gives it, with what the committee pages add."""

    constituency: Constituency
    current: RoundResult
    earlier: list[RoundResult]
    candidates: list[CandidateResult]  # the current round's ballot, most votes first, then ballot order
    elected_earlier: list[CandidateResult]  # winners of round 1 who stay elected after an additional election
    seats_filled: int
    published: bool
    flags: list[Flag] = field(default_factory=list)
    pending: list[margins.PendingUnit] = field(default_factory=list)
    margin: margins.MarginCheck | None = None
    deadline: dt.date | None = None  # the law's last day for a second round of this election, always given
    round_row: ConstituencyRound | None = None
    next_round: str | None = None  # the kind of round the result calls for and that may be opened now
    decisions: list[ConstituencyDecision] = field(default_factory=list)  # oldest first
    # CONTRACT §10 `deadline`: the last lawful voting day of the second round (or re-vote) the status calls for
    round_deadline: dt.date | None = None
    closing_kinds: tuple[str, ...] = ()  # the closing decisions the current status allows (rules/closing.py)

    @property
    def status(self) -> str:
        return self.current.status

    @property
    def elected(self) -> list[CandidateResult]:
        return self.elected_earlier + [c for c in self.candidates if c.elected]

    @property
    def names(self) -> dict[int, str]:
        return {c.id: c.full_name for c in [*self.candidates, *self.elected_earlier]}


def _candidate_rows(rr: RoundResult, cands: dict[int, Candidate], ids: Iterable[int]) -> list[CandidateResult]:
    valid = rr.figures.valid_ballots
    elected, tied = set(rr.elected), set(rr.tied)
    rows = [
        CandidateResult(
            id=cid,
            code=cands[cid].code,
            full_name=cands[cid].full_name,
            date_of_birth=cands[cid].date_of_birth_display,
            affiliation=cands[cid].affiliation,
            ballot_order=cands[cid].ballot_order,
            votes=rr.votes.get(cid, 0),
            pct_of_valid=percent(rr.votes.get(cid, 0), valid),
            elected=cid in elected,
            tied=cid in tied,
            round=rr.number,
        )
        for cid in ids
        if cid in cands
    ]
    rows.sort(key=lambda x: (-x.votes, x.ballot_order))
    return rows


def _contest_input(level: str, rr: RoundResult, cands: dict[int, Candidate]) -> rules.ContestInput:
    return rules.ContestInput(
        level=level,
        seats=rr.seats,
        voters_on_list=rr.figures.voters_on_list,
        voters_voted=rr.figures.voters_voted,
        valid_ballots=rr.figures.valid_ballots,
        candidates=tuple(
            rules.CandidateInput(
                cid,
                rr.votes.get(cid, 0),
                cands[cid].date_of_birth,
                cands[cid].ballot_order,
                cands[cid].date_of_birth_precision,
            )
            for cid in rr.ballot
            if cid in cands
        ),
        round_kind=rr.kind,
    )


def _reasons(
    rule_set: str,
    level: str,
    rr: RoundResult,
    cands: dict[int, Candidate],
    decisions: Iterable[ConstituencyDecision] = (),
) -> list[rules.Reason]:
    """The rules' reasons for a counted round, from its cached sums (the same decision, worded), and the recorded
    decision that closed it, if it did (the cached status is then `decided` where the rules' is not)."""
    if rr.status == INCOMPLETE:
        return []
    decision = rules.decide(rule_set, _contest_input(level, rr, cands))
    reasons = list(decision.reasons)
    if decision.status != rr.status:
        reasons.extend(
            decision_reason(d, rr, [c.pk for c in d.elected.all()])
            for d in decisions
            if d.round == rr.number and d.kind in ConstituencyDecision.CLOSING
        )
    return reasons


def decision_reason(d: ConstituencyDecision, rr: RoundResult, chosen: list[int]) -> rules.Reason:
    """A closing decision as one more reason of the round's result, with its article (CONTRACT §10)."""
    said = f"{d.body} decided ({d.reference} of {d.date.isoformat()})"
    figures: dict[str, Any] = {"body": d.body, "reference": d.reference, "date": d.date.isoformat()}
    if d.kind == ConstituencyDecision.Kind.TIE_SETTLED:
        names = ", ".join(str(i) for i in chosen)
        return rules.Reason(
            "decision_tie_settled",
            f"{said} who takes the tied seat(s): candidate(s) {names} ({d.article}).",
            d.article,
            figures | {"winners": chosen},
        )
    unfilled = max(0, rr.seats - rr.seats_filled)
    return rules.Reason(
        "decision_seats_left_vacant",
        f"{said} to leave {unfilled} seat(s) vacant, with no further round ({d.article}).",
        d.article,
        figures | {"seats_unfilled": unfilled},
    )


def revote_pending(constituency: Constituency, round_number: int) -> bool:
    """Whether a polling unit of the round had its result annulled and its re-vote is not approved yet (Art. 81)."""
    approved = Tally.objects.filter(constituency=constituency, round=round_number, status=APPROVED)
    return (
        Tally.objects.filter(constituency=constituency, round=round_number, status=Tally.Status.ANNULLED)
        .exclude(polling_unit_id__in=approved.values("polling_unit_id"))
        .exists()
    )


def round_deadline(constituency: Constituency, current: RoundResult, deadline: dt.date) -> dt.date | None:
    """CONTRACT §10 `deadline`: `deadline` when the status calls for a second round (round 1 calling for a
    re-election or an additional election), while the second round is being counted, or while an annulled unit
    votes again (Arts. 79(3), 80(4), 81(2)); None when no second round is called for."""
    if current.number == 1 and current.status in (rules.RE_ELECTION_REQUIRED, rules.ADDITIONAL_ELECTION_REQUIRED):
        return deadline
    if current.status != INCOMPLETE:
        return None
    if current.number > 1 or revote_pending(constituency, current.number):
        return deadline
    return None


def constituency_flags(constituency: Constituency) -> QuerySet[Flag]:
    """Open flags on the constituency, its tallies and its units (a unit's own flags, such as turnout)."""
    units = PollingUnitConstituency.objects.filter(constituency=constituency).values("polling_unit_id")
    severity = Case(
        When(severity=Flag.Severity.ERROR, then=Value(0)),
        When(severity=Flag.Severity.WARNING, then=Value(1)),
        default=Value(2),
        output_field=IntegerField(),
    )
    return (
        Flag.objects.filter(election_id=constituency.election_id, status=Flag.Status.OPEN)
        .filter(Q(constituency=constituency) | Q(constituency__isnull=True, polling_unit_id__in=units))
        .select_related("polling_unit")
        .order_by(severity, "polling_unit__code", "pk")
    )


def pending_units(constituency: Constituency, round_number: int) -> list[margins.PendingUnit]:
    """Units of the round not counted yet, with their voters on the list (a tally's figure, else the unit's)."""
    tallies: dict[int, tuple[str, int]] = {}
    for unit_id, status, listed in (
        Tally.objects.filter(constituency=constituency, round=round_number)
        .order_by("polling_unit_id", "attempt")
        .values_list("polling_unit_id", "status", "voters_on_list")
    ):
        tallies[unit_id] = (status, listed)  # the newest attempt last
    pending = []
    for unit_id, code, registered in (
        PollingUnitConstituency.objects.filter(constituency=constituency)
        .order_by("polling_unit__code")
        .values_list("polling_unit_id", "polling_unit__code", "polling_unit__registered_voters")
    ):
        status, listed = tallies.get(unit_id, ("", None))
        if status != APPROVED:
            voters = listed if listed is not None else registered
            pending.append(margins.PendingUnit(code, voters, annulled=status == Tally.Status.ANNULLED))
    return pending


def constituency_outcome(constituency: Constituency, *, with_margin: bool = True) -> ConstituencyOutcome:
    """The result of `constituency` for its current round, with earlier rounds as the law combines them.

    A re-election's result replaces round 1's (Art. 80); after an additional election the winners of
    round 1 stay elected and the round fills only the seats left (Art. 79).
    """
    election = constituency.election
    rounds = _rounds_of([constituency.pk], election)
    infos = [
        RoundInfo(1, rules.REGULAR, constituency.seats, None)
        if n == 1
        else rounds.get((constituency.pk, n))
        or RoundInfo(n, _kind(constituency.current_round_kind), constituency.seats, None)
        for n in range(1, constituency.current_round + 1)
    ]
    targets = [_Target(constituency.pk, constituency.contest.level, info) for info in infos]
    cached = _refresh(election, targets, constituency=constituency)
    results = [_round_result(cached[(constituency.pk, info.number)].data) for info in infos]
    current, earlier = results[-1], results[:-1]
    cands = {c.pk: c for c in constituency.candidates.all()}
    decisions = list(
        ConstituencyDecision.objects.filter(constituency=constituency)
        .select_related("decided_by")
        .prefetch_related("elected")
        .order_by("date", "recorded_at", "pk")
    )
    for rr in results:
        rr.reasons = _reasons(election.rules, constituency.contest.level, rr, cands, decisions)
    info = infos[-1]
    candidates = _candidate_rows(current, cands, current.ballot)
    elected_earlier: list[CandidateResult] = []
    if info.kind == rules.ADDITIONAL and earlier:
        # The winners of round 1 are exactly the candidates left off the additional election's ballot.
        stay = [cid for cid in cands if info.ballot is not None and cid not in info.ballot]
        elected_earlier = _candidate_rows(earlier[0], cands, stay)
        for x in elected_earlier:
            x.elected = True
    seats_filled = len(elected_earlier) + current.seats_filled
    outcome = ConstituencyOutcome(
        constituency=constituency,
        current=current,
        earlier=earlier,
        candidates=candidates,
        elected_earlier=elected_earlier,
        seats_filled=seats_filled,
        published=cached[(constituency.pk, info.number)].published,
        flags=list(constituency_flags(constituency)),
        deadline=second_round_deadline(election),
        round_row=info.row,
        decisions=decisions,
    )
    if current.number == 1 and current.status in (rules.RE_ELECTION_REQUIRED, rules.ADDITIONAL_ELECTION_REQUIRED):
        outcome.next_round = rules.RE_ELECTION if current.status == rules.RE_ELECTION_REQUIRED else rules.ADDITIONAL
    outcome.round_deadline = round_deadline(constituency, current, outcome.deadline)
    outcome.closing_kinds = tuple(k for k in closing.KINDS if closing.may_close(k, current.status, current.number))
    if with_margin and current.status == INCOMPLETE:
        outcome.pending = pending_units(constituency, current.number)
        counted = _contest_input(constituency.contest.level, current, cands)
        outcome.margin = margins.margin_check(election.rules, counted, outcome.pending)
    return outcome


# --- many constituencies: a contest, an election ----------------------------------------------------
