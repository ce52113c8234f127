"""Photos of a tally's signed paper minutes, in pages.

`{% tally_photos scope %}` on the clerk's entry page and the reviewers' page (the upload form where the reader may
enter the tally); `{% public_tally_photos unit membership %}` on the unit's public page, once the result is published.
"""

from typing import Any

from django import template

from elections.models import PollingUnit, PollingUnitConstituency
from elections.permissions import Action, grants_for
from results.permissions import TallyScope, can_tally
from results.tallies import photos, records

register = template.Library()


def _items(scope: TallyScope, found: list[Any]) -> list[dict[str, Any]]:
    from django.urls import reverse

    args = [scope.election.slug, scope.unit.code, scope.contest.code]
    return [{"photo": p, "url": reverse("api:tally-photo", args=[*args, p.pk])} for p in found]


@register.inclusion_tag("results/_tally_photos.html", takes_context=True)
def tally_photos(context: template.Context, scope: TallyScope, error: Any = "") -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    grants = grants_for(user, scope.election)
    shown = can_tally(grants, scope, Action.VIEW)
    tally = records.current_tally(scope)
    found = photos.photos_of(tally) if shown else []
    may_add = can_tally(grants, scope, Action.ENTER)
    return {
        "scope": scope,
        "items": _items(scope, found),
        "may_add": may_add,
        "may_remove": may_add and photos.may_remove(tally),
        "error": error,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("public/_tally_photos.html")
def public_tally_photos(unit: PollingUnit, membership: PollingUnitConstituency) -> dict[str, Any]:
    scope = TallyScope(unit.election, unit, membership.contest, membership.constituency)
    return {"items": _items(scope, photos.public_photos(scope))}
