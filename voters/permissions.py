"""Access to voter lists: a unit's list follows the unit's access (elections/permissions.py); an import record
belongs to the committee of its area (or of the election, for a file that spans it)."""

from django.http import Http404

from elections.models import PollingUnit
from elections.permissions import Action, Grants, access_area, access_election, can_polling_unit, grants_for
from voters.models import DoubleListing, VoterImport


def can_voter_list(user: object, unit: PollingUnit, action: Action) -> bool:
    """What `user` may do with the list of `unit`: VIEW it, ENTER check-ins, MANAGE changes after posting."""
    ids = set(unit.memberships.values_list("constituency_id", flat=True))
    return can_polling_unit(grants_for(user, unit.election), unit, action, constituency_ids=ids)


def access_voter_import(user: object, slug: str, pk: int) -> VoterImport:
    """An import record, for its area's committee (404 for anyone else, as for every object of the site)."""
    election = access_election(user, slug)
    batch = VoterImport.objects.filter(election=election, pk=pk).select_related("area", "by").first()
    if batch is None:
        raise Http404("No such import")
    if batch.area is not None:
        access_area(user, slug, batch.area.code, need=Action.MANAGE)
    else:
        access_election(user, slug, need=Action.MANAGE)
    return batch


def sees_double_listing(grants: Grants, held_path: str, first_path: str) -> bool:
    """Whether someone may know that a held row doubles a listing elsewhere (Art. 29): who may see both lists,
    that is a committee whose areas cover both units, or anyone who reads the whole election. Everyone else,
    the committee that put the row on its list included, sees it as listed like any other."""
    if grants.superuser or grants.staff or grants.auditor:
        return True
    return grants.covers_path(held_path) and grants.covers_path(first_path)


def can_settle_double_listing(grants: Grants, case: DoubleListing) -> bool:
    """Who decides: a committee whose areas cover both units (or an administrator)."""
    held_path, first_path = case.held.polling_unit.area.path, case.first.polling_unit.area.path
    return grants.superuser or (grants.covers_path(held_path) and grants.covers_path(first_path))


def access_double_listing(user: object, slug: str, pk: int) -> DoubleListing:
    """A person listed twice, for those who decide it (404 for anyone else, as for every object of the site)."""
    election = access_election(user, slug)
    case = (
        DoubleListing.objects.filter(election=election, pk=pk)
        .select_related("held__polling_unit__area", "first__polling_unit__area", "election")
        .first()
    )
    if case is None or not can_settle_double_listing(grants_for(user, election), case):
        raise Http404("No such case")
    return case
