"""Access to voter lists: a unit's list follows the unit's access (elections/permissions.py); an import record
belongs to the committee of its area (or of the election, for a file that spans it)."""

from django.http import Http404

from elections.models import PollingUnit
from elections.permissions import Action, access_area, access_election, can_polling_unit, grants_for
from voters.models import VoterImport


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
