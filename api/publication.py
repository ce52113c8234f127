"""Publication API (interfaces §9): publish a constituency's result (two members), and the public turnout."""

import json
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import Http404, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import domain_error_response, refusals
from api.fields import HourMinuteField
from api.lookups import constituency_for
from core.http import request_source
from elections.models import Area, Election
from public import cache, selectors
from results import permissions
from results.publication import services as publication


class PublicationOut(serializers.Serializer):
    sequence = serializers.IntegerField(help_text="1 for the first publication, then one more per correction")
    kind = serializers.CharField(help_text="original or correction")
    round = serializers.IntegerField()
    status = serializers.CharField()
    published_at = serializers.DateTimeField()
    cause = serializers.CharField(help_text="for a correction: tally_corrected, unit_annulled, revote_approved, ...")
    reason = serializers.CharField()


class ProposalOut(serializers.Serializer):
    proposed_by = serializers.CharField()
    proposed_at = serializers.DateTimeField()


class PublishOut(serializers.Serializer):
    election = serializers.CharField()
    constituency = serializers.CharField()
    round = serializers.IntegerField()
    status = serializers.CharField()
    action = serializers.CharField(help_text="proposed, published or unchanged: what this call did")
    published = serializers.BooleanField()
    publication = PublicationOut(allow_null=True)
    proposal = ProposalOut(allow_null=True, help_text="a pending proposal waiting for a second member")


def publication_api(pub: Any) -> dict[str, Any] | None:
    if pub is None:
        return None
    return {
        "sequence": pub.sequence,
        "kind": pub.kind,
        "round": pub.round,
        "status": pub.status,
        "published_at": pub.published_at,
        "cause": pub.cause,
        "reason": pub.reason,
    }


def state_api(state: publication.PublishState) -> dict[str, Any]:
    p = state.proposal
    return {
        "election": state.constituency.election.slug,
        "constituency": state.constituency.code,
        "round": state.round,
        "status": state.status,
        "action": state.action,
        "published": state.published,
        "publication": publication_api(state.publication),
        "proposal": {"proposed_by": p.proposed_by.get_username(), "proposed_at": p.proposed_at} if p else None,
    }


class PublishView(APIView):
    """Propose publication, or confirm another member's proposal; the proposer asking again changes nothing."""

    permission_classes = [IsAuthenticated]

    @extend_schema(
        request=None,
        responses={
            200: PublishOut,
            202: OpenApiResponse(PublishOut, description="proposed: a second, different member must confirm"),
            **refusals(
                400,
                401,
                403,
                404,
                409,
                why={
                    403: "your role may see this result but not publish it",
                    404: "no such election or constituency, or not yours",
                    409: "the result is incomplete",
                },
            ),
        },
        summary="Publish a constituency's result (two members)",
    )
    def post(self, request: Request, election: str, constituency: str) -> Response:
        cons = constituency_for(
            request,
            election,
            constituency,
            may=permissions.can_publish,
            refusal=_("Only a board member of this constituency or a committee member above it publishes."),
        )
        if isinstance(cons, Response):
            return cons
        try:
            state = publication.result_publish(
                constituency=cons, by=request.user, source=request_source(request, "api")
            )
        except publication.PublicationRefused as exc:
            return domain_error_response(exc)
        code = status.HTTP_202_ACCEPTED if state.action == publication.PROPOSED else status.HTTP_200_OK
        return Response(state_api(state), status=code)


class TurnoutPointOut(serializers.Serializer):
    at = HourMinuteField()
    polling_units = serializers.IntegerField()
    polling_units_reported = serializers.IntegerField()
    voters_on_list = serializers.IntegerField(help_text="of the units that reported at that time")
    voters_voted = serializers.IntegerField()
    turnout_pct = serializers.CharField()


class TurnoutAreaOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    parent = serializers.CharField(allow_null=True)
    depth = serializers.IntegerField()
    polling_units = serializers.IntegerField()
    polling_units_reported = serializers.IntegerField()
    voters_on_list = serializers.IntegerField()
    voters_voted = serializers.IntegerField(allow_null=True)
    turnout_pct = serializers.CharField(allow_null=True)


class LatestReportOut(serializers.Serializer):
    polling_unit = serializers.CharField()
    area = serializers.CharField()
    at = HourMinuteField()
    voters_voted = serializers.IntegerField()
    reported_at = serializers.DateTimeField()


class PublicTurnoutOut(serializers.Serializer):
    election = serializers.CharField()
    published = serializers.BooleanField(help_text="false until the election committee makes turnout public")
    published_at = serializers.DateTimeField(allow_null=True)
    as_of = HourMinuteField(allow_null=True, help_text="the latest reporting time any unit reported at")
    polling_units = serializers.IntegerField()
    polling_units_reported = serializers.IntegerField()
    voters_on_list = serializers.IntegerField(help_text="of the units that reported at `as_of`")
    voters_on_list_total = serializers.IntegerField()
    voters_voted = serializers.IntegerField(allow_null=True)
    turnout_pct = serializers.CharField(allow_null=True)
    areas = TurnoutAreaOut(many=True)
    reports = TurnoutPointOut(many=True, help_text="the day's series: one entry per reporting time")
    latest_reports = LatestReportOut(many=True, help_text="the newest reports of polling units, newest first")


def turnout_api(election: Election, overview: selectors.TurnoutOverview) -> dict[str, Any]:
    """Published turnout for the election and each area (interfaces §9); figures are null until published."""
    shown = overview.published
    total = overview.total

    def hhmm(t: Any) -> str | None:
        return t.strftime("%H:%M") if t else None

    areas = []
    for a in Area.objects.filter(election=election).select_related("parent").order_by("path"):
        p = overview.areas.get(a.pk)
        areas.append(
            {
                "code": a.code,
                "name": a.name,
                "parent": a.parent.code if a.parent else None,
                "depth": a.depth,
                "polling_units": p.units_total if p else 0,
                "polling_units_reported": p.units if p and shown else 0,
                "voters_on_list": p.voters_on_list if p and shown else 0,
                "voters_voted": p.voters_voted if p and shown else None,
                "turnout_pct": p.turnout_pct if p and shown and p.reported else None,
            }
        )
    return {
        "election": election.slug,
        "published": shown,
        "published_at": overview.published_at,
        "as_of": hhmm(overview.as_of) if shown else None,
        "polling_units": total.units_total,
        "polling_units_reported": total.units if shown else 0,
        "voters_on_list": total.voters_on_list if shown else 0,
        "voters_on_list_total": overview.voters_on_list_total,
        "voters_voted": total.voters_voted if shown and total.reported else None,
        "turnout_pct": total.turnout_pct if shown and total.reported else None,
        "areas": areas,
        "reports": [
            {
                "at": hhmm(p.at),
                "polling_units": p.units_total,
                "polling_units_reported": p.units,
                "voters_on_list": p.voters_on_list,
                "voters_voted": p.voters_voted,
                "turnout_pct": p.turnout_pct,
            }
            for p in overview.series
            if shown and p.reported
        ],
        "latest_reports": [{**r, "at": hhmm(r["at"])} for r in overview.latest_reports] if shown else [],
    }


def json_bytes(data: Any) -> tuple[bytes, str]:
    return json.dumps(data, ensure_ascii=False, cls=DjangoJSONEncoder, separators=(",", ":")).encode(), (
        "application/json"
    )


def without_credentials(request: Any) -> bool:
    """A GET with neither a token nor a session cookie: the public, whose answers are all cached alike."""
    return (
        request.method in ("GET", "HEAD")
        and "HTTP_AUTHORIZATION" not in request.META
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    )


def public_json(answer: Callable[[], HttpResponse]) -> HttpResponse:
    """Call a cached public answer outside DRF; a 404 still answers JSON, as the API does."""
    try:
        return answer()
    except Http404 as exc:
        return JsonResponse({"detail": str(exc)}, status=404)


class TurnoutView(APIView):
    """Published turnout of the election and of every area, with the day's reports (public, cached)."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []  # the same answer for everyone: never reads credentials

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if request.method in ("GET", "HEAD"):  # straight to the cache, without DRF's machinery
            return public_json(lambda: _turnout(request, kwargs["election"]))
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(
        responses={200: PublicTurnoutOut, **refusals(400, 404, why={404: "no such election"})}, summary="Turnout"
    )
    def get(self, request: Request, election: str) -> HttpResponse:
        return _turnout(request, election)


def _turnout(request: Any, election: str) -> HttpResponse:
    rev = cache.revision(election)

    def build() -> tuple[bytes, str]:
        obj = Election.objects.get(pk=rev.election_id)
        return json_bytes(turnout_api(obj, selectors.turnout_overview(obj, rev)))

    return cache.respond(request, rev, build, uses=("turnout",), headers={"Access-Control-Allow-Origin": "*"})
