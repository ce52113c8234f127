"""Finding the object a request names, for people who may act on it: 404 for those who may not see it, 403 for
those who may see it but not do this."""

from collections.abc import Callable

from django.http import Http404
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from elections.models import Constituency
from elections.permissions import Action, Grants, can_constituency, grants_for


def constituency_for(
    request: Request, election: str, code: str, *, may: Callable[[Grants, Constituency], bool], refusal: str
) -> Constituency | Response:
    """The constituency `code` of `election` if `may(grants, constituency)`; a 403 answer saying `refusal` if the
    person may only see it; Http404 if they may not even see it (nothing tells them it exists)."""
    cons = (
        Constituency.objects.filter(election__slug=election, code=code)
        .select_related("election", "contest", "area")
        .first()
    )
    if cons is None:
        raise Http404("No such constituency")
    grants = grants_for(request.user, cons.election)
    if not can_constituency(grants, cons, Action.VIEW):
        raise Http404("No such constituency")
    if not may(grants, cons):
        return Response({"detail": refusal}, status=status.HTTP_403_FORBIDDEN)
    return cons
