"""Reads of the election structure that take more than one query."""

from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet

from elections import rules
from elections.models import Area, Constituency, Election, PollingUnit, Role, RoleAssignment
from elections.permissions import Grants


@dataclass
class StructureFinding:
    kind: str  # "contest", "constituency" or "polling_unit"
    code: str
    name: str
    finding: rules.Finding


def structure_findings(election: Election, *, grants: Grants | None = None) -> list[StructureFinding]:
    """The law's warnings on seats, candidates and unit sizes, for what `grants` may see."""
    constituencies = constituencies_visible(election, grants) if grants else election.constituencies.all()
    units = polling_units_visible(election, grants) if grants else election.polling_units.all()
    rows = constituencies.select_related("contest").annotate(n_candidates=Count("candidates")).order_by("code")
    found = [
        StructureFinding("contest", c.code, c.name, f)
        for c in election.contests.order_by("position")
        for f in rules.check_contest(level=c.level, election_day=election.election_day)
    ]
    found += [
        StructureFinding("constituency", c.code, c.name, f)
        for c in rows
        for f in rules.check_constituency(level=c.contest.level, seats=c.seats, candidates=c.n_candidates)
    ]
    outside = Q(registered_voters__lt=rules.UNIT_MIN_VOTERS) | Q(registered_voters__gt=rules.UNIT_MAX_VOTERS)
    found += [
        StructureFinding("polling_unit", u.code, u.name, f)
        for u in units.filter(outside).order_by("code")
        for f in rules.check_polling_unit(voters=u.registered_voters)
    ]
    return found


def _under(paths: tuple[str, ...], field_name: str) -> Q:
    q = Q(pk__in=[])
    for p in paths:
        q |= Q(**{f"{field_name}__startswith": p})
    return q


def constituencies_visible(election: Election, grants: Grants) -> QuerySet[Constituency]:
    qs = election.constituencies.all()
    if grants.superuser or grants.staff or grants.auditor:
        return qs
    return qs.filter(Q(pk__in=grants.board_constituencies) | _under(grants.committee_paths, "area__path"))


def polling_units_visible(election: Election, grants: Grants) -> QuerySet[PollingUnit]:
    qs = election.polling_units.all()
    if grants.superuser or grants.staff or grants.auditor:
        return qs
    return qs.filter(
        Q(pk__in=grants.clerk_units)
        | Q(memberships__constituency_id__in=grants.board_constituencies)
        | _under(grants.committee_paths, "area__path")
    ).distinct()


def polling_units_of_area(area: Area) -> QuerySet[PollingUnit]:
    return PollingUnit.objects.filter(election_id=area.election_id, area__path__startswith=area.path)


def constituencies_of_area(area: Area) -> QuerySet[Constituency]:
    return Constituency.objects.filter(election_id=area.election_id, area__path__startswith=area.path)


@dataclass
class HomeRole:
    assignment: RoleAssignment
    units: list[PollingUnit] = field(default_factory=list)
    units_total: int = 0
    constituencies: list[Constituency] = field(default_factory=list)
    constituencies_total: int = 0


@dataclass
class HomeElection:
    election: Election
    roles: list[HomeRole]


HOME_LIST_LIMIT = 20  # beyond this the home page links to the full, paginated list


def home_for_user(user: object) -> list[HomeElection]:
    """Each election the user has a role in, with what each role lets them reach."""
    assignments = (
        RoleAssignment.objects.filter(user=user)
        .select_related("election", "polling_unit__area", "constituency__contest", "constituency__area", "area")
        .order_by("-election__election_day", "election__slug", "role")
    )
    by_election: dict[int, HomeElection] = {}
    for a in assignments:
        entry = by_election.setdefault(a.election_id, HomeElection(a.election, []))
        item = HomeRole(a)
        if a.role == Role.CLERK and a.polling_unit:
            item.units, item.units_total = [a.polling_unit], 1
            item.constituencies = list(
                a.polling_unit.constituencies.select_related("contest").order_by("contest__position")
            )
        elif a.role == Role.BOARD and a.constituency:
            units = a.constituency.polling_units.select_related("area").order_by("code")
            item.units_total = units.count()
            item.units = list(units[:HOME_LIST_LIMIT])
            item.constituencies, item.constituencies_total = [a.constituency], 1
        elif a.role == Role.COMMITTEE and a.area:
            units = polling_units_of_area(a.area).select_related("area").order_by("code")
            cons = constituencies_of_area(a.area).select_related("contest").order_by("contest__position", "code")
            item.units_total, item.constituencies_total = units.count(), cons.count()
            item.units = list(units[:HOME_LIST_LIMIT])
            item.constituencies = list(cons[:HOME_LIST_LIMIT])
        entry.roles.append(item)
    return list(by_election.values())
