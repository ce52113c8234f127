"""The deadlines board: the facts of every constituency a reader may see, gathered in a fixed number of queries,
and where each legal deadline after election day stands (the law itself: results/rules/deadlines.py).

Facts, each the first time it happened, as a day in the election's time zone:
- a unit's counting minutes reached the Ban: its tally's first version submitted or approved (Art. 76(3));
- the Ban's minutes issued (Art. 77), the committee's summary minute issued (Arts. 83, 85);
- the current round's result published (Art. 86);
- a round 2 opened (its kind, voting day and deadline), or the constituency closed without one by a decision.
"""

import datetime as dt
import re
import zoneinfo
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Min, Q, QuerySet
from django.utils import timezone

from elections.models import Area, Constituency, Contest, Election, PollingUnitConstituency
from results.models import ConstituencyDecision, ConstituencyRound, Minute, ResultPublication, Tally
from results.outcomes import contests, rounds
from results.rules import deadlines as law
from results.rules import winners as rules

SENT = (Tally.Status.SUBMITTED, Tally.Status.APPROVED)
NEEDED = {rules.ADDITIONAL_ELECTION_REQUIRED: "additional", rules.RE_ELECTION_REQUIRED: "re_election"}


@dataclass
class ConstituencyLine:
    constituency: Constituency
    deadlines: list[law.Deadline]

    @property
    def late(self) -> int:
        return sum(1 for d in self.deadlines if d.is_late)

    @property
    def overdue(self) -> int:
        return sum(1 for d in self.deadlines if d.status == law.LATE)


@dataclass
class GroupLine:
    """A contest in the area whose committee sums it up. `whole`: the reader sees every constituency of it, so
    the committee's own deadlines (summary minute, announcement, complaints) are shown."""

    contest: Contest
    area: Area
    whole: bool
    deadlines: list[law.Deadline]
    constituencies: list[ConstituencyLine] = field(default_factory=list)

    @property
    def own_late(self) -> int:
        return sum(1 for d in self.deadlines if d.is_late)

    @property
    def late(self) -> int:
        return self.own_late + sum(c.late for c in self.constituencies)

    @property
    def overdue(self) -> int:
        """Deadlines passed with the work still not done (the home page's box)."""
        return sum(1 for d in self.deadlines if d.status == law.LATE) + sum(c.overdue for c in self.constituencies)


@dataclass
class DeadlineBoard:
    election: Election
    today: dt.date
    groups: list[GroupLine]

    @property
    def late(self) -> int:
        return sum(g.late for g in self.groups)

    @property
    def overdue(self) -> int:
        return sum(g.overdue for g in self.groups)


def _natural(code: str) -> list[Any]:
    return [int(part) if part.isdigit() else part for part in re.split(r"(\d+)", code)]


def local_today(election: Election) -> dt.date:
    """Today in the election's time zone: the law's days are the days of the place where it is held."""
    return timezone.now().astimezone(zoneinfo.ZoneInfo(election.time_zone)).date()


def deadline_board(
    election: Election, constituencies: QuerySet[Constituency], *, today: dt.date | None = None
) -> DeadlineBoard:
    """Every deadline of `constituencies` (those the reader may see) and of the contests they sum up to."""
    zone = zoneinfo.ZoneInfo(election.time_zone)

    def day(moment: dt.datetime | None) -> dt.date | None:
        return moment.astimezone(zone).date() if moment is not None else None

    today = today or local_today(election)
    cons = sorted(
        constituencies.filter(election=election).select_related("contest", "area"),
        key=lambda c: (c.contest.position, c.contest.code, c.area.path, _natural(c.code)),
    )
    if not cons:
        return DeadlineBoard(election, today, [])
    ids = [c.pk for c in cons]
    units = dict(
        PollingUnitConstituency.objects.filter(constituency_id__in=ids)
        .values("constituency_id")
        .annotate(n=Count("id"))
        .values_list("constituency_id", "n")
    )
    sent: dict[tuple[int, int], list[dt.date]] = defaultdict(list)
    for cons_id, number, first in (
        Tally.objects.filter(constituency_id__in=ids)
        .values("constituency_id", "round", "polling_unit_id")
        .annotate(first=Min("versions__saved_at", filter=Q(versions__status__in=SENT)))
        .values_list("constituency_id", "round", "first")
    ):
        if first is not None:
            sent[(cons_id, number)].append(day(first))  # type: ignore[arg-type]
    issued = {
        (cons_id, number): day(first)
        for cons_id, number, first in Minute.objects.filter(
            election=election, kind=Minute.Kind.CONSTITUENCY, constituency_id__in=ids
        )
        .values("constituency_id", "round")
        .annotate(first=Min("issued_at"))
        .values_list("constituency_id", "round", "first")
    }
    summaries = {
        (contest_id, area_id): day(first)
        for contest_id, area_id, first in Minute.objects.filter(election=election, kind=Minute.Kind.SUMMARY)
        .values("contest_id", "area_id")
        .annotate(first=Min("issued_at"))
        .values_list("contest_id", "area_id", "first")
    }
    published = {
        (cons_id, number): day(first)
        for cons_id, number, first in ResultPublication.objects.filter(constituency_id__in=ids)
        .values("constituency_id", "round")
        .annotate(first=Min("published_at"))
        .values_list("constituency_id", "round", "first")
    }
    opened = {
        row["constituency_id"]: row
        for row in ConstituencyRound.objects.filter(constituency_id__in=ids, number=2).values(
            "constituency_id", "kind", "voting_day", "deadline", "decision__kind"
        )
    }
    closed: dict[tuple[int, int], dt.date] = {}
    closings: dict[int, list[tuple[int, str, dt.date]]] = defaultdict(list)
    for cons_id, number, kind, article, decided_on in ConstituencyDecision.objects.filter(
        constituency_id__in=ids, kind__in=ConstituencyDecision.CLOSING
    ).values_list("constituency_id", "round", "kind", "article", "date"):
        closings[cons_id].append((number, article, decided_on))
        if kind == ConstituencyDecision.Kind.SEATS_LEFT_VACANT:
            closed[(cons_id, number)] = decided_on
    revotes = _revotes(ids, day)
    status = {
        s.constituency.pk: (s.round, s.status)
        for s in contests.constituency_summaries(election, constituencies=Constituency.objects.filter(pk__in=ids))
    }
    totals = {
        (contest_id, area_id): n
        for contest_id, area_id, n in Constituency.objects.filter(election=election)
        .values("contest_id", "area_id")
        .annotate(n=Count("id"))
        .values_list("contest_id", "area_id", "n")
    }
    default_deadline = rounds.second_round_deadline(election)

    groups: dict[tuple[int, int], GroupLine] = {}
    group_published: dict[tuple[int, int], list[dt.date | None]] = defaultdict(list)
    for c in cons:
        key = (c.contest_id, c.area_id)
        if key not in groups:
            groups[key] = GroupLine(c.contest, c.area, whole=False, deadlines=[])
        round_rows = [
            law.RoundFacts(1, election.election_day, units.get(c.pk, 0), sent[(c.pk, 1)], issued.get((c.pk, 1)))
        ]
        second = opened.get(c.pk)
        if second is not None:
            round_rows.append(
                law.RoundFacts(2, second["voting_day"], units.get(c.pk, 0), sent[(c.pk, 2)], issued.get((c.pk, 2)))
            )
        current, state = status.get(c.pk, (c.current_round, rounds.INCOMPLETE))
        needed = NEEDED.get(state) if current == 1 and second is None else None
        if second is None and (c.pk, 1) in closed:  # the NEC held no additional election (Art. 79(1))
            needed = "additional"
        facts = law.ConstituencyFacts(
            level=c.contest.level,
            election_day=election.election_day,
            rounds=round_rows,
            published_on=published.get((c.pk, c.current_round)),
            second_round_needed=needed,
            second_round_kind=(second["decision__kind"] or second["kind"]) if second else None,
            second_round_deadline=second["deadline"] if second else (default_deadline if needed else None),
            closed_on=closed.get((c.pk, 1)),
            revotes=revotes.get(c.pk, ()),
            revote_deadline=default_deadline,
            closings=closings.get(c.pk, ()),
        )
        groups[key].constituencies.append(ConstituencyLine(c, law.constituency_deadlines(facts, today)))
        group_published[key].append(facts.published_on)

    for key, group in groups.items():
        group.whole = len(group.constituencies) == totals.get(key, 0)
        if group.whole:
            group.deadlines = law.group_deadlines(
                law.GroupFacts(
                    level=group.contest.level,
                    election_day=election.election_day,
                    summary_on=summaries.get(key),
                    published_on=group_published[key],
                ),
                today,
            )
    return DeadlineBoard(election, today, list(groups.values()))


def _revotes(
    ids: list[int], day: Callable[[dt.datetime | None], dt.date | None]
) -> dict[int, list[tuple[int, dt.date | None]]]:
    """Per constituency, each polling unit whose result the NEC annulled (Art. 81(1)): (round, the day the
    counting minutes of its newest attempt first reached the Ban, or None while that attempt is annulled too or
    not sent)."""
    newest: dict[tuple[int, int, int], tuple[int, str, dt.datetime | None]] = {}
    annulled: set[tuple[int, int, int]] = set()
    for cons_id, number, unit, attempt, status, first in (
        Tally.objects.filter(constituency_id__in=ids)
        .filter(Q(attempt__gt=1) | Q(status=Tally.Status.ANNULLED))
        .values("constituency_id", "round", "polling_unit_id", "attempt", "status")
        .annotate(first=Min("versions__saved_at", filter=Q(versions__status__in=SENT)))
        .values_list("constituency_id", "round", "polling_unit_id", "attempt", "status", "first")
    ):
        key = (cons_id, number, unit)
        if status == Tally.Status.ANNULLED:
            annulled.add(key)
        if key not in newest or attempt > newest[key][0]:
            newest[key] = (attempt, status, first)
    out: dict[int, list[tuple[int, dt.date | None]]] = defaultdict(list)
    for key in sorted(annulled):
        _attempt, status, first = newest[key]
        held = first is not None and status != Tally.Status.ANNULLED
        out[key[0]].append((key[1], day(first) if held else None))
    return out
