"""Who may do what, one access function per object type (interfaces §6).

Every page and API endpoint calls these. An object that does not exist and one the user may not
reach look the same (404), so codes cannot be probed.

Roles, per election:
- clerk of a polling unit: views and enters that unit's data; nothing else;
- board of a constituency: views and reviews the constituency and the units voting in it;
- committee of an area: views, reviews and manages the area, everything below it, and the
  constituencies and units placed there;
- auditor: views everything of the election, changes nothing;
- staff may view everything; superusers may do everything.
"""

from dataclasses import dataclass

from django.db import models
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from elections.models import Area, Constituency, Election, PollingUnit, Role, RoleAssignment


class Action(models.TextChoices):
    VIEW = "view", _("view")
    ENTER = "enter", _("enter data")  # a clerk's entry of turnout and tallies
    REVIEW = "review", _("review")  # return or approve a tally
    MANAGE = "manage", _("manage")  # committee decisions: annul, publish, import


@dataclass(frozen=True)
class Grants:
    """What one user holds in one election, loaded once and reused for every check."""

    election_id: int
    clerk_units: frozenset[int] = frozenset()
    board_constituencies: frozenset[int] = frozenset()
    committee_paths: tuple[str, ...] = ()
    auditor: bool = False
    staff: bool = False
    superuser: bool = False

    @property
    def any_role(self) -> bool:
        return (
            bool(self.clerk_units or self.board_constituencies or self.committee_paths or self.auditor or self.staff)
            or self.superuser
        )

    def covers_path(self, path: str) -> bool:
        return any(path.startswith(p) for p in self.committee_paths)


def grants_for(user: object, election: Election) -> Grants:
    """The user's roles in `election`, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False) or not getattr(user, "is_active", False):
        return Grants(election_id=election.pk)
    cache: dict[int, Grants] = user.__dict__.setdefault("_kp_grants", {})
    if election.pk not in cache:
        clerk, board, paths, auditor = set(), set(), [], False
        rows = RoleAssignment.objects.filter(user=user, election=election).values_list(
            "role", "polling_unit_id", "constituency_id", "area__path"
        )
        for role, unit_id, constituency_id, area_path in rows:
            if role == Role.CLERK:
                clerk.add(unit_id)
            elif role == Role.BOARD:
                board.add(constituency_id)
            elif role == Role.COMMITTEE:
                paths.append(area_path)
            elif role == Role.AUDITOR:
                auditor = True
        cache[election.pk] = Grants(
            election_id=election.pk,
            clerk_units=frozenset(clerk),
            board_constituencies=frozenset(board),
            committee_paths=tuple(sorted(paths)),
            auditor=auditor,
            staff=bool(getattr(user, "is_staff", False)),
            superuser=bool(getattr(user, "is_superuser", False)),
        )
    return cache[election.pk]


def _reads_all(grants: Grants) -> bool:
    return grants.superuser or grants.staff or grants.auditor


def can_election(grants: Grants, action: Action) -> bool:
    """Viewing an election's pages needs any role in it; managing it needs a committee of a top-level area."""
    if grants.superuser:
        return True
    if action == Action.VIEW:
        return grants.any_role
    if action == Action.MANAGE:
        return any(p.count("/") == 2 for p in grants.committee_paths)
    return False


def can_area(grants: Grants, area: Area, action: Action) -> bool:
    if grants.superuser:
        return True
    if action == Action.VIEW and _reads_all(grants):
        return True
    if action in (Action.VIEW, Action.REVIEW, Action.MANAGE):
        return grants.covers_path(area.path)
    return False


def can_constituency(grants: Grants, constituency: Constituency, action: Action) -> bool:
    if grants.superuser:
        return True
    if action == Action.VIEW and _reads_all(grants):
        return True
    if action in (Action.VIEW, Action.REVIEW, Action.MANAGE):
        return constituency.pk in grants.board_constituencies or grants.covers_path(constituency.area.path)
    return False


def can_polling_unit(grants: Grants, unit: PollingUnit, action: Action, *, constituency_ids: set[int]) -> bool:
    """`constituency_ids`: the constituencies the unit votes in (a board reviews only those units)."""
    if grants.superuser:
        return True
    if action == Action.VIEW and _reads_all(grants):
        return True
    is_clerk = unit.pk in grants.clerk_units
    is_board = bool(constituency_ids & grants.board_constituencies)
    is_committee = grants.covers_path(unit.area.path)
    if action == Action.VIEW:
        return is_clerk or is_board or is_committee
    if action == Action.ENTER:
        return is_clerk
    if action == Action.REVIEW:
        return is_board or is_committee
    if action == Action.MANAGE:
        return is_committee
    return False


def _election(slug: str) -> Election:
    try:
        return Election.objects.get(slug=slug)
    except Election.DoesNotExist:
        raise Http404("No such election") from None


def access_election(user: object, slug: str, *, need: Action = Action.VIEW) -> Election:
    election = _election(slug)
    if not can_election(grants_for(user, election), need):
        raise Http404("No such election")
    return election


def access_area(user: object, slug: str, code: str, *, need: Action = Action.VIEW) -> Area:
    election = _election(slug)
    area = Area.objects.filter(election=election, code=code).select_related("election", "parent").first()
    if area is None or not can_area(grants_for(user, election), area, need):
        raise Http404("No such area")
    return area


def access_constituency(user: object, slug: str, code: str, *, need: Action = Action.VIEW) -> Constituency:
    election = _election(slug)
    constituency = (
        Constituency.objects.filter(election=election, code=code).select_related("election", "contest", "area").first()
    )
    if constituency is None or not can_constituency(grants_for(user, election), constituency, need):
        raise Http404("No such constituency")
    return constituency


def access_polling_unit(user: object, slug: str, code: str, *, need: Action = Action.VIEW) -> PollingUnit:
    election = _election(slug)
    unit = PollingUnit.objects.filter(election=election, code=code).select_related("election", "area").first()
    if unit is None:
        raise Http404("No such polling unit")
    constituency_ids = set(unit.memberships.values_list("constituency_id", flat=True))
    if not can_polling_unit(grants_for(user, election), unit, need, constituency_ids=constituency_ids):
        raise Http404("No such polling unit")
    return unit


def needs_second_factor(user: object) -> bool:
    """Who must log in with a second factor (TOTP) where it is on: administrators, staff, and the members of
    election boards and committees, whose decisions change results. Clerks and auditors log in with a password."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_superuser", False) or getattr(user, "is_staff", False):
        return True
    return RoleAssignment.objects.filter(user=user, role__in=(Role.BOARD, Role.COMMITTEE)).exists()
