"""Reads of the public site: only published results (their snapshots) and published turnout, never a voter.

Everything public about a result comes from `ResultPublication` snapshots, never from the live tallies,
so an unpublished result cannot leak through a page, a download or the NIST export. Turnout comes from the
units' reports, and only once the election committee has made turnout public.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, JSONField, OuterRef, Q, QuerySet, Subquery, Sum
from django.db.models.functions import Coalesce

from elections.models import Area, Constituency, Contest, Election, PollingUnit, PollingUnitConstituency
from public import turnout
from public.cache import Revision, cached_value
from results.minutes import data as minutes_data
from results.models import Minute, ResultPublication, Tally, TurnoutPublication, TurnoutReport
from results.outcomes.constituency import FIGURES, Figures
from results.rules.closing import SEATS_LEFT_VACANT
from results.rules.percentages import percent
from voters.selectors import turnout_by_unit

LATEST_REPORTS = 50  # the newest unit reports listed in the turnout API


# --- turnout ---------------------------------------------------------------------------------------------


def voters_listed(election: Election) -> dict[int, int]:
    """Voters on each unit's list: the loaded list's count, else the unit's registered voters."""
    listed = {pk: n or 0 for pk, n in election.polling_units.values_list("pk", "registered_voters")}
    for unit_id, (_voted, on_list) in turnout_by_unit(election).items():
        listed[unit_id] = on_list
    return listed


@dataclass
class TurnoutOverview:
    """Published turnout of an election: the day's series, and every area's and unit's latest figures."""

    published: bool
    published_at: dt.datetime | None
    times: list[dt.time]
    opens: dt.time
    closes: dt.time
    series: list[turnout.Point]
    as_of: dt.time | None
    total: turnout.Point
    voters_on_list_total: int
    areas: dict[int, turnout.Point] = field(default_factory=dict)
    units: dict[int, tuple[dt.time | None, int | None, int]] = field(default_factory=dict)  # at, voted, listed
    unit_series: dict[int, dict[dt.time, int]] = field(default_factory=dict)
    latest_reports: list[dict[str, Any]] = field(default_factory=list)


def _build_turnout(election: Election) -> TurnoutOverview:
    times = election.report_times()
    pub = TurnoutPublication.objects.filter(election=election).first()
    published = bool(pub and pub.published)
    listed = voters_listed(election)
    paths = dict(election.polling_units.values_list("pk", "area__path"))
    reports: dict[int, dict[dt.time, int]] = defaultdict(dict)
    latest: list[dict[str, Any]] = []
    if published:
        for unit_id, at, voted in TurnoutReport.objects.filter(election=election).values_list(
            "polling_unit_id", "at", "voters_voted"
        ):
            reports[unit_id][at] = voted
        rows = (
            TurnoutReport.objects.filter(election=election)
            .order_by("-reported_at", "-pk")
            .values_list("polling_unit__code", "polling_unit__area__code", "at", "voters_voted", "reported_at")[
                :LATEST_REPORTS
            ]
        )
        latest = [
            {"polling_unit": code, "area": area, "at": at, "voters_voted": voted, "reported_at": when}
            for code, area, at, voted, when in rows
        ]
    units = [
        turnout.UnitSeries(
            unit_id=pk,
            area_ids=tuple(int(p) for p in (paths.get(pk) or "").strip("/").split("/") if p),
            listed=listed.get(pk, 0),
            reports=reports.get(pk, {}),
        )
        for pk in paths
    ]
    as_of = turnout.latest_time(units, times)
    return TurnoutOverview(
        published=published,
        published_at=pub.published_at if published and pub else None,
        times=times,
        opens=election.voting_opens,
        closes=election.voting_closes,
        series=turnout.series(units, times),
        as_of=as_of,
        total=turnout.point(units, as_of),
        voters_on_list_total=sum(u.listed for u in units),
        areas=turnout.by_area(units, as_of),
        units={u.unit_id: (*turnout.latest_of_unit(u), u.listed) for u in units},
        unit_series={u.unit_id: dict(u.reports) for u in units if u.reports},
        latest_reports=latest,
    )


def turnout_overview(election: Election, rev: Revision) -> TurnoutOverview:
    """Published turnout, computed once per change of the turnout counter and shared by every page."""
    value = cached_value(rev, "turnout", lambda: _build_turnout(election), uses=("turnout",))
    assert isinstance(value, TurnoutOverview)
    return value


def area_series(overview: TurnoutOverview, unit_ids: list[int]) -> list[turnout.Point]:
    """The day's series over some units (an area's)."""
    units = [
        turnout.UnitSeries(uid, (), overview.units[uid][2], overview.unit_series.get(uid, {}))
        for uid in unit_ids
        if uid in overview.units
    ]
    return turnout.series(units, overview.times)


# --- published results -------------------------------------------------------------------------------


def constituency_rows(election: Election) -> QuerySet[Constituency]:
    """Constituencies with their current publication (status, seats won, winners) and counting progress.

    Counting progress (units approved of units) is shown for every constituency: it says how far the count
    has got, not what it found.
    """
    pub = ResultPublication.objects.filter(constituency=OuterRef("pk"), current=True)
    approved = (
        Tally.objects.filter(constituency=OuterRef("pk"), round=OuterRef("current_round"), status=Tally.Status.APPROVED)
        .order_by()
        .values("constituency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    units = (
        PollingUnitConstituency.objects.filter(constituency=OuterRef("pk"))
        .order_by()
        .values("constituency")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Constituency.objects.filter(election=election)
        .select_related("contest", "area")
        .annotate(
            pub_status=Subquery(pub.values("status")[:1]),
            pub_kind=Subquery(pub.values("kind")[:1]),
            pub_at=Subquery(pub.values("published_at")[:1]),
            pub_round=Subquery(pub.values("round")[:1]),
            seats_won=Subquery(pub.values("seats_filled")[:1], output_field=IntegerField()),
            winners=Subquery(pub.values("winners")[:1], output_field=JSONField()),
            n_units=Coalesce(Subquery(units, output_field=IntegerField()), 0),
            n_counted=Coalesce(Subquery(approved, output_field=IntegerField()), 0),
        )
        .order_by("contest__position", "code")
    )


def current_publication(constituency: Constituency, version: int | None = None) -> ResultPublication | None:
    qs = ResultPublication.objects.filter(constituency=constituency)
    if version is not None:
        return qs.filter(sequence=version).first()
    return qs.filter(current=True).first()


def publication_history(constituency: Constituency) -> list[ResultPublication]:
    return list(
        ResultPublication.objects.filter(constituency=constituency)
        .order_by("-sequence")
        .only("sequence", "kind", "status", "round", "cause", "reason", "polling_unit_code", "published_at", "current")
    )


def published(election: Election, *, contest: Contest | None = None) -> QuerySet[ResultPublication]:
    """The current publication of every published constituency."""
    qs = ResultPublication.objects.filter(election=election, current=True).select_related(
        "constituency__contest", "constituency__area"
    )
    if contest is not None:
        qs = qs.filter(constituency__contest=contest)
    return qs.order_by("constituency__contest__position", "constituency__code")


@dataclass
class AffiliationTotal:
    name: str
    votes: int
    pct_of_votes: str  # of all votes for candidates: sums to 100 even when each ballot names several
    seats_won: int


@dataclass
class ContestTotals:
    contest: Contest
    constituencies: int
    published: int
    seats: int
    seats_published: int
    seats_filled: int
    seats_vacant: int  # left vacant by a recorded decision (CONTRACT §10 `seats_left_vacant`, Arts. 79, 80)
    figures: Figures
    affiliations: list[AffiliationTotal]
    corrections: int


def contest_totals(contest: Contest) -> ContestTotals:
    """Totals over the published constituencies of a contest only (the others count for nothing yet)."""
    figures = Figures()
    votes: dict[str, int] = defaultdict(int)
    won: dict[str, int] = defaultdict(int)
    n = seats_published = filled = vacant = corrections = 0
    for pub in (
        ResultPublication.objects.filter(constituency__contest=contest, current=True)
        .select_related("constituency")
        .only("data", "seats_filled", "kind", "constituency__seats")
    ):
        n += 1
        seats_published += pub.constituency.seats
        filled += pub.seats_filled
        if any(d.get("kind") == SEATS_LEFT_VACANT for d in pub.data.get("decisions") or []):
            vacant += pub.constituency.seats - pub.seats_filled
        corrections += pub.kind == ResultPublication.Kind.CORRECTION
        figures.add(Figures(**{f: int(pub.data.get(f) or 0) for f in FIGURES}))
        for c in pub.data.get("candidates", []):
            votes[c["affiliation"]] += c["votes"]
            won[c["affiliation"]] += 1 if c["elected"] else 0
        for c in pub.data.get("elected_in_earlier_rounds", []):  # winners of round 1 of an additional election
            won[c["affiliation"]] += 1
    agg = Constituency.objects.filter(contest=contest).aggregate(n=Count("pk"), seats=Coalesce(Sum("seats"), 0))
    all_votes = sum(votes.values())
    affiliations = sorted(
        (
            AffiliationTotal(name, votes.get(name, 0), percent(votes.get(name, 0), all_votes), won[name])
            for name in set(votes) | set(won)
        ),
        key=lambda a: (-a.seats_won, -a.votes, a.name),
    )
    return ContestTotals(
        contest=contest,
        constituencies=agg["n"],
        published=n,
        seats=agg["seats"],
        seats_published=seats_published,
        seats_filled=filled,
        seats_vacant=vacant,
        figures=figures,
        affiliations=affiliations,
        corrections=corrections,
    )


# --- structure ------------------------------------------------------------------------------------------


def top_areas(election: Election) -> QuerySet[Area]:
    return Area.objects.filter(election=election, parent__isnull=True).order_by("code")


def units_under(area: Area) -> QuerySet[PollingUnit]:
    return PollingUnit.objects.filter(election_id=area.election_id, area__path__startswith=area.path).select_related(
        "area"
    )


def constituencies_in(area: Area) -> Q:
    """Constituencies placed in the area or below it."""
    return Q(area__path__startswith=area.path)


@dataclass
class ContestProgress:
    contest: Contest
    constituencies: int
    published: int
    seats: int
    seats_filled: int  # in the published constituencies


def contest_progress(election: Election) -> list[ContestProgress]:
    """Per contest: constituencies and seats, and how many are published with how many seats filled."""
    cons = {
        cid: (n, seats)
        for cid, n, seats in Constituency.objects.filter(election=election)
        .order_by()
        .values("contest_id")
        .annotate(n=Count("pk"), seats=Sum("seats"))
        .values_list("contest_id", "n", "seats")
    }
    pubs = {
        cid: (n, filled)
        for cid, n, filled in ResultPublication.objects.filter(election=election, current=True)
        .order_by()
        .values("constituency__contest_id")
        .annotate(n=Count("pk"), filled=Sum("seats_filled"))
        .values_list("constituency__contest_id", "n", "filled")
    }
    return [
        ContestProgress(
            c,
            cons.get(c.pk, (0, 0))[0],
            pubs.get(c.pk, (0, 0))[0],
            cons.get(c.pk, (0, 0))[1] or 0,
            pubs.get(c.pk, (0, 0))[1] or 0,
        )
        for c in election.contests.all()
    ]


def constituency_minutes(constituency: Constituency, round_number: int) -> list[Minute]:
    """The issued minutes of a published result (Art. 77), newest version first, for its public page."""
    return list(
        Minute.objects.filter(
            election_id=constituency.election_id,
            kind=Minute.Kind.CONSTITUENCY,
            key=minutes_data.constituency_key(constituency, round_number),
        ).order_by("-version")
    )
