"""A contest's results: every constituency in a line, the totals by affiliation, and the breakdown by area."""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import (
    Count,
    F,
    QuerySet,
    Sum,
)

from elections.models import Area, Candidate, Constituency, Contest, Election, PollingUnitConstituency
from results.models import FIGURES, Tally
from results.outcomes.cache import (
    ConstituencyRef,
    _refresh,
    _targets,
)
from results.outcomes.constituency import APPROVED, Figures
from results.outcomes.rounds import (
    STATUSES,
    _rounds_of,
)
from results.rules import winners as rules
from results.rules.percentages import percent


@dataclass
class ConstituencySummary:
    constituency: ConstituencyRef
    round: int
    round_kind: str
    status: str
    seats: int
    seats_filled: int
    polling_units: int
    polling_units_counted: int
    figures: Figures
    votes: dict[int, int]
    elected: list[int]  # every round combined
    published: bool
    affiliation_votes: dict[str, int]  # this round's votes per affiliation
    elected_affiliations: list[str]  # the affiliation of each one elected in this round
    earlier_elected: list[int]  # winners of an earlier round (after an additional election)


def constituency_summaries(
    election: Election, *, contest: Contest | None = None, constituencies: QuerySet[Constituency] | None = None
) -> list[ConstituencySummary]:
    """Every constituency's current result, for a contest (or the whole election), in a handful of queries.

    `constituencies` narrows what is returned (for example to those a committee oversees); the sums are
    computed for the whole contest either way, so the cache serves everyone.
    """
    qs = Constituency.objects.filter(election=election)
    if contest is not None:
        qs = qs.filter(contest=contest)
    all_cons = [
        ConstituencyRef(*row)
        for row in qs.order_by("contest__position", "code").values_list(
            "pk", "code", "name", "seats", "current_round", "current_round_kind", "contest__level", "contest_id"
        )
    ]
    in_round_two = [c.pk for c in all_cons if c.current_round > 1]
    rounds = _rounds_of(in_round_two, election) if in_round_two else {}
    cached = _refresh(election, _targets(all_cons, rounds), contest=contest)
    # After an additional election the winners of round 1 are exactly the candidates left off its ballot.
    earlier_winners: dict[int, list[int]] = {}
    additional = {
        c.pk: rounds[(c.pk, c.current_round)].ballot or frozenset()
        for c in all_cons
        if (c.pk, c.current_round) in rounds and rounds[(c.pk, c.current_round)].kind == rules.ADDITIONAL
    }
    if additional:
        for cid, cons_id in Candidate.objects.filter(constituency_id__in=list(additional)).values_list(
            "id", "constituency_id"
        ):
            if cid not in additional[cons_id]:
                earlier_winners.setdefault(cons_id, []).append(cid)
    wanted = None if constituencies is None else set(constituencies.values_list("pk", flat=True))
    out = []
    for c in all_cons:
        if wanted is not None and c.pk not in wanted:
            continue
        row = cached[(c.pk, c.current_round)]
        rr = row.data
        earlier = earlier_winners.get(c.pk, [])
        out.append(
            ConstituencySummary(
                constituency=c,
                round=c.current_round,
                round_kind=rr["round_kind"],
                status=rr["status"],
                seats=c.seats,
                seats_filled=len(earlier) + rr["seats_filled"],
                polling_units=rr["polling_units"],
                polling_units_counted=rr["polling_units_counted"],
                figures=Figures(**rr["figures"]),
                votes=rr["votes"],
                elected=earlier + list(rr["elected"]),
                published=row.published,
                affiliation_votes=rr["affiliations"],
                elected_affiliations=rr["elected_affiliations"],
                earlier_elected=earlier,
            )
        )
    return out


@dataclass
class AffiliationResult:
    name: str
    votes: int
    pct_of_valid: str
    seats_won: int


@dataclass
class ContestOutcome:
    contest: Contest
    constituencies: list[ConstituencySummary]
    figures: Figures
    polling_units: int
    polling_units_counted: int
    seats: int
    seats_filled: int
    affiliations: list[AffiliationResult]
    status_counts: dict[str, int]

    @property
    def published(self) -> bool:
        return bool(self.constituencies) and all(c.published for c in self.constituencies)


def election_outcome(election: Election) -> list[ContestOutcome]:
    """Every constituency's result and every contest's totals, from one pass over the election's tallies."""
    summaries = constituency_summaries(election)
    by_contest: dict[int, list[ConstituencySummary]] = defaultdict(list)
    for s in summaries:
        by_contest[s.constituency.contest_id].append(s)
    return [
        contest_outcome(contest, summaries=by_contest.get(contest.pk, []))
        for contest in election.contests.order_by("position")
    ]


def contest_outcome(
    contest: Contest,
    *,
    constituencies: QuerySet[Constituency] | None = None,
    summaries: list[ConstituencySummary] | None = None,
) -> ContestOutcome:
    """Totals of the contest over its constituencies' current rounds, with affiliations (interfaces §3).

    Each constituency contributes the figures of the round it is counting (so a constituency holding a
    re-election contributes the re-election's figures), and its winners of every round to `seats_won`.
    `summaries`: the contest's constituency summaries when the caller has them already (`election_outcome`).
    """
    if summaries is None:
        summaries = constituency_summaries(contest.election, contest=contest, constituencies=constituencies)
    figures = Figures()
    units = counted = seats = filled = 0
    status_counts = dict.fromkeys(STATUSES, 0)
    for s in summaries:
        figures.add(s.figures)
        units += s.polling_units
        counted += s.polling_units_counted
        seats += s.seats
        filled += s.seats_filled
        status_counts[s.status] = status_counts.get(s.status, 0) + 1
    votes: dict[str, int] = defaultdict(int)
    won: dict[str, int] = defaultdict(int)
    # Each constituency's own sums by affiliation; candidates are looked up only for winners of an earlier round.
    earlier = [cid for s in summaries for cid in s.earlier_elected]
    affiliation_of = dict(Candidate.objects.filter(pk__in=earlier).values_list("id", "affiliation")) if earlier else {}
    for s in summaries:
        for name, v in s.affiliation_votes.items():
            votes[name] += v
        for name in s.elected_affiliations:
            won[name] += 1
        for cid in s.earlier_elected:
            won[affiliation_of.get(cid, "")] += 1
    names = set(votes) | set(won)
    affiliations = sorted(
        (
            AffiliationResult(
                name, votes.get(name, 0), percent(votes.get(name, 0), figures.valid_ballots), won.get(name, 0)
            )
            for name in names
        ),
        key=lambda a: (-a.votes, -a.seats_won, a.name),
    )
    return ContestOutcome(
        contest=contest,
        constituencies=summaries,
        figures=figures,
        polling_units=units,
        polling_units_counted=counted,
        seats=seats,
        seats_filled=filled,
        affiliations=affiliations,
        status_counts=status_counts,
    )


def area_breakdown(contest: Contest, *, depth: int = 1) -> list[tuple[Area, Figures, int, int]]:
    """The contest's approved figures of the current rounds summed per area at `depth` (0 = top).

    One GROUP BY per unit area, rolled up the area tree by path: (area, figures, units, counted).
    """
    election = contest.election
    per_area = (
        Tally.objects.filter(contest=contest, status=APPROVED, round=F("constituency__current_round"))
        .values("polling_unit__area_id")
        .annotate(counted=Count("id"), **{name: Sum(name) for name in FIGURES})
    )
    units = dict(
        PollingUnitConstituency.objects.filter(contest=contest)
        .values("polling_unit__area_id")
        .annotate(n=Count("id"))
        .values_list("polling_unit__area_id", "n")
    )
    areas = {a.pk: a for a in Area.objects.filter(election=election)}
    targets = {a.pk: a for a in areas.values() if a.depth == depth}

    def target_of(area_id: int) -> int | None:
        area = areas.get(area_id)
        if area is None:
            return None
        ids = [int(p) for p in area.path.strip("/").split("/") if p]
        return ids[depth] if len(ids) > depth else None

    totals: dict[int, Figures] = defaultdict(Figures)
    counts: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for row in per_area:
        target = target_of(row["polling_unit__area_id"])
        if target is None:
            continue
        totals[target].add(Figures(**{name: int(row[name] or 0) for name in FIGURES}))
        counts[target][1] += row["counted"]
    for area_id, n in units.items():
        target = target_of(area_id)
        if target is not None:
            counts[target][0] += n
    return [
        (targets[pk], totals[pk], counts[pk][0], counts[pk][1])
        for pk in sorted(counts, key=lambda pk: targets[pk].code if pk in targets else "")
        if pk in targets
    ]
