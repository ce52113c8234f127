"""Access to the tallies of a polling unit for one contest (CONTRACT §6-7).

A tally belongs to a unit and to the unit's constituency for the contest: the unit's clerk enters
it; the board of that constituency (not of the unit's other constituencies) or a committee above
the unit reviews it; a committee above the unit annuls or corrects it. The API answers 403 to
anyone else (CONTRACT §7); an unknown unit or contest is 404.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from elections.models import Constituency, Contest, Election, PollingUnit, PollingUnitConstituency
from elections.permissions import Action, Grants, grants_for


@dataclass(frozen=True)
class TallyScope:
    """Where a tally lives: the unit, the contest and the unit's constituency for that contest."""

    election: Election
    unit: PollingUnit
    contest: Contest
    constituency: Constituency


def can_tally(grants: Grants, scope: TallyScope, action: Action) -> bool:
    if grants.superuser:
        return True
    is_committee = grants.covers_path(scope.unit.area.path)
    if action == Action.VIEW:
        return (
            grants.staff
            or grants.auditor
            or scope.unit.pk in grants.clerk_units
            or scope.constituency.pk in grants.board_constituencies
            or is_committee
        )
    if action == Action.ENTER:
        return scope.unit.pk in grants.clerk_units
    if action == Action.REVIEW:
        return scope.constituency.pk in grants.board_constituencies or is_committee
    if action == Action.MANAGE:
        return is_committee
    return False


def tally_scope(slug: str, unit_code: str, contest_code: str) -> TallyScope:
    membership = (
        PollingUnitConstituency.objects.filter(
            polling_unit__election__slug=slug, polling_unit__code=unit_code, contest__code=contest_code
        )
        .select_related("polling_unit__area", "polling_unit__election", "contest", "constituency")
        .first()
    )
    if membership is None:
        raise Http404("No such polling unit or contest")
    unit = membership.polling_unit
    return TallyScope(unit.election, unit, membership.contest, membership.constituency)


def access_tally(user: object, slug: str, unit_code: str, contest_code: str, *, need: Action) -> TallyScope:
    scope = tally_scope(slug, unit_code, contest_code)
    if not can_tally(grants_for(user, scope.election), scope, need):
        raise PermissionDenied("Your role does not allow this on this tally.")
    return scope
