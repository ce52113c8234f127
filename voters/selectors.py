"""Reads of voter lists: counts per contest (field 1 of the counting minutes), pages, check-in search."""

from collections import defaultdict

from django.db.models import Count, Q, QuerySet

from elections.models import Area, Contest, Election, PollingUnit
from elections.permissions import grants_for
from voters import rules
from voters.importing.reading import name_key
from voters.models import (
    ACTIVE_STATUSES,
    UNIT_SPAN,
    Certificate,
    Complaint,
    DoubleListing,
    Voter,
    VoterImport,
    VoterList,
    voter_pk,
)
from voters.permissions import sees_double_listing


def _active(qs: QuerySet[Voter]) -> QuerySet[Voter]:
    """The rows on their units' lists. Held rows (Art. 29, DoubleListing) count: they are on their unit's list
    until a committee decides, and counting them elsewhere than where they are shown would tell the committee
    that listed them that the person is also listed elsewhere."""
    return qs.filter(status__in=ACTIVE_STATUSES)


def voter_counts(election: Election) -> dict[tuple[int, str], int]:
    """Voters on the list per (polling unit id, contest level), for every unit with a loaded list.

    A temporary resident of under 12 months, a soldier of an armed-forces unit (Art. 29(3)) and a person in
    detention or in a compulsory facility (Art. 29(5)) are counted for the National Assembly and the provincial
    council, not for the commune council. Units without a list are absent: callers fall back to
    PollingUnit.registered_voters.
    """
    levels = set(Contest.objects.filter(election=election).values_list("level", flat=True))
    unit_ids = VoterList.objects.filter(election=election).values_list("polling_unit_id", flat=True)
    counts: dict[tuple[int, str], int] = {(u, level): 0 for u in unit_ids for level in levels}
    rows = (
        _active(Voter.objects.filter(election=election))
        .values_list("polling_unit_id", "residence", "category")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, residence, category, n in rows:
        for level in levels:
            if rules.votes_in(residence, level, category):
                counts[(unit_id, level)] = counts.get((unit_id, level), 0) + n
    return counts


def voters_on_list(unit: PollingUnit, contest: Contest) -> int | None:
    """Voters of `unit` who vote in `contest` (by residence and category, Art. 29(3)-(5)), or None while the unit
    has no loaded list."""
    if not VoterList.objects.filter(polling_unit=unit).exists():
        return None
    groups = _active(Voter.objects.of_unit(unit)).values_list("residence", "category").annotate(n=Count("pk"))
    return sum(n for residence, category, n in groups.order_by() if rules.votes_in(residence, contest.level, category))


def contests_of_unit(unit: PollingUnit) -> list[Contest]:
    """The contests voted at the unit, in ballot order."""
    return list(Contest.objects.filter(constituencies__memberships__polling_unit=unit).order_by("position"))


def contests_voted(voter: Voter, contests: list[Contest]) -> list[Contest]:
    """The contests among `contests` (the unit's) whose ballot the voter receives (Art. 29(3)-(5))."""
    return [c for c in contests if rules.votes_in(voter.residence, c.level, voter.category)]


def registered_voters(unit: PollingUnit) -> int | None:
    """Everyone on the unit's list (any contest), or None while no list is loaded (interfaces §8)."""
    if not VoterList.objects.filter(polling_unit=unit).exists():
        return None
    return _active(Voter.objects.of_unit(unit)).count()


def checked_in_count(unit: PollingUnit) -> int:
    """Voters of the unit checked in so far: the unit's turnout, for units that check voters in."""
    return Voter.objects.of_unit(unit).filter(voted_at__isnull=False).count()


def voter_list_of_unit(unit: PollingUnit) -> VoterList | None:
    return VoterList.objects.filter(polling_unit=unit).select_related("posted_by").first()


def unit_summary(unit: PollingUnit) -> dict[str, object]:
    """The figures shown at the top of a unit's list page."""
    agg = Voter.objects.of_unit(unit).aggregate(
        active=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        struck=Count("pk", filter=~Q(status__in=ACTIVE_STATUSES)),
        voted=Count("pk", filter=Q(voted_at__isnull=False)),
    )
    per_contest = [(c, voters_on_list(unit, c)) for c in contests_of_unit(unit)]
    return {**agg, "per_contest": per_contest}


def voters_of_unit(unit: PollingUnit, *, query: str = "") -> QuerySet[Voter]:
    """The unit's list in list order (the law's posting order), optionally narrowed by number or name."""
    qs = Voter.objects.of_unit(unit).order_by("list_number")
    query = query.strip()
    if not query:
        return qs
    if query.isdigit():
        return qs.filter(list_number=int(query))
    return with_name_like(qs, query)


def with_name_like(voters: QuerySet[Voter], query: str) -> QuerySet[Voter]:
    """The voters whose name holds `query`, diacritics optional ("nguyen van an" finds "Nguyễn Văn An").

    Compared in Python over the given voters, one unit's list (a few thousand names at most): no database
    index could do it on both PostgreSQL and SQLite.
    """
    wanted = name_key(" ".join(query.split()))
    return voters.filter(
        pk__in=[pk for pk, full_name in voters.values_list("pk", "full_name") if wanted in name_key(full_name)]
    )


def voters_for_posting(unit: PollingUnit) -> QuerySet[Voter]:
    return Voter.objects.of_unit(unit).order_by("list_number")


def complaints_of_unit(unit: PollingUnit) -> QuerySet[Complaint]:
    return Complaint.objects.filter(polling_unit=unit).select_related("voter").order_by("-received_on", "-pk")


def certificates_of_unit(unit: PollingUnit) -> QuerySet[Certificate]:
    return Certificate.objects.filter(Q(voter__polling_unit=unit) | Q(added_voter__polling_unit=unit)).select_related(
        "voter__polling_unit", "added_voter__polling_unit"
    )


def imports_of_election(election: Election, *, area_paths: tuple[str, ...] | None = None) -> QuerySet[VoterImport]:
    qs = VoterImport.objects.filter(election=election).select_related("area", "by")
    if area_paths is not None:
        q = Q(pk__in=[])
        for path in area_paths:
            q |= Q(area__path__startswith=path)
        qs = qs.filter(q)
    return qs


def turnout_by_unit(election: Election) -> dict[int, tuple[int, int]]:
    """(checked in, on the list) per unit with a loaded list."""
    out: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    rows = (
        Voter.objects.filter(election=election)
        .values_list("polling_unit_id")
        .annotate(
            voted=Count("pk", filter=Q(voted_at__isnull=False)),
            listed=Count("pk", filter=Q(status__in=ACTIVE_STATUSES)),
        )
        .order_by()
    )
    for unit_id, voted, listed in rows:
        out[unit_id] = [voted, listed]
    return {k: (v[0], v[1]) for k, v in out.items()}


def double_listings_of_area(area: Area) -> QuerySet[DoubleListing]:
    """The open cases of people listed twice whose two units are both in `area`: those its committee decides.

    A voter's id carries its unit (`voter_pk`), so the cases are chosen from the ids of the units under `area`
    without joining the voters table twice: on PostgreSQL that double join, with the area paths matched on both
    sides, was planned as a scan of voters against voters and ran for minutes on a province's lists.
    """
    units = set(
        PollingUnit.objects.filter(election_id=area.election_id, area__path__startswith=area.path).values_list(
            "pk", flat=True
        )
    )
    open_cases = DoubleListing.objects.filter(election_id=area.election_id, outcome=DoubleListing.Outcome.OPEN)
    chosen = [
        pk
        for pk, held_id, first_id in open_cases.values_list("pk", "held_id", "first_id")
        if held_id // UNIT_SPAN in units and first_id // UNIT_SPAN in units
    ]
    return (
        DoubleListing.objects.filter(pk__in=chosen)
        .select_related("held__polling_unit__area", "first__polling_unit__area", "batch", "created_by")
        .order_by("created_at", "pk")
    )


def held_shown(user: object, unit: PollingUnit) -> dict[int, DoubleListing]:
    """The open cases of the unit's held rows that `user` may know of, by voter id (`sees_double_listing`).

    Everyone else gets nothing here, and sees those rows as listed."""
    cases = DoubleListing.objects.filter(
        outcome=DoubleListing.Outcome.OPEN, held_id__gte=voter_pk(unit.pk, 0), held_id__lt=voter_pk(unit.pk + 1, 0)
    ).select_related("first__polling_unit__area")
    grants = grants_for(user, unit.election)
    return {
        case.held_id: case
        for case in cases
        if sees_double_listing(grants, unit.area.path, case.first.polling_unit.area.path)
    }
