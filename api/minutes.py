"""Official minutes in the API (interfaces §9): the PDFs, the list of issued versions, and issuing.

- `GET .../tallies/{unit}/{contest}/minutes.pdf`: the counting minutes of an approved tally. Access as
  for the tally itself (interfaces §7): 403 for a role that may not see it, 404 for an unknown unit.
- `GET .../results/{constituency}/minutes.pdf`: the constituency minutes once every unit is counted.
  Access as for the result (interfaces §3): committees above, the board, auditors and staff; everyone
  once the result is published (then only issued versions, never a draft); 404 otherwise.

Both take `?version=N` (an issued version), `?round=N` (an earlier round) and `?lang=en` (the English
translation; default: the request's language, Vietnamese unless chosen). Without `version` they give
the newest issued version while it matches the data, else a draft of the data as it stands (marked
as such, header `X-Minutes-Version: draft`). 409 with a plain-text reason when the minutes cannot be
made yet. `GET .../minutes/` lists the issued versions; `POST .../minutes/` issues the next one.
"""

from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import domain_error_response, refusals, serializer_errors
from api.fields import TextField
from api.parsers import SafeJSONParser
from core.http import request_source
from elections.permissions import Action, can_constituency, grants_for
from results.minutes import data as md
from results.minutes import services as svc
from results.minutes.serving import counting_pdf_of, key_for_version, round_param, serve
from results.models import Minute
from results.permissions import TallyScope, access_constituency_result, access_tally


class RoundQuery(serializers.Serializer):
    round = serializers.IntegerField(
        required=False, min_value=1, max_value=99, help_text="an earlier round (1) of a constituency holding round 2"
    )


class MinutesQuery(RoundQuery):
    version = serializers.IntegerField(
        required=False, min_value=1, help_text="an issued version; default: the newest current one or a draft"
    )
    lang = serializers.ChoiceField(
        choices=["vi", "en"], required=False, help_text="en: the English translation for observers"
    )


def _bad_query(request: Request, query: type[serializers.Serializer]) -> Response | None:
    """A 400 with a message per parameter when the query string is not as documented, else None."""
    found = query(data=request.query_params.dict())  # a plain dict: "?round=" is refused, not skipped
    if found.is_valid():
        return None
    return Response(
        {"detail": _("The request is not well formed."), "errors": serializer_errors(found.errors)}, status=400
    )


PDF = {(200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="the minutes")}
# A PDF's refusal to be made yet is plain text, as the staff pages show it.
NOT_YET = {
    (409, "text/plain"): OpenApiResponse(
        OpenApiTypes.STR, description="the minutes cannot be made yet (tally not approved, units not counted)"
    )
}
CONFLICT = "the minutes cannot be issued yet (tally not approved, units not counted), or nothing changed"


class MemberIn(serializers.Serializer):
    name = TextField(min_length=1, max_length=200)
    gender = serializers.ChoiceField(choices=["", "female", "male"], required=False, default="")
    position = serializers.ChoiceField(choices=["head", "deputy", "secretary", "member"])


class IssueIn(serializers.Serializer):
    meeting_at = serializers.DateTimeField(required=False, allow_null=True)
    place = TextField(required=False, allow_blank=True, max_length=300)
    members = serializers.ListField(child=MemberIn(), required=False, max_length=40)  # the schema says maxItems
    witnesses = serializers.ListField(child=TextField(min_length=1, max_length=200), required=False, max_length=2)
    events = TextField(required=False, allow_blank=True, max_length=svc.MAX_TEXT)
    complaints_resolved = TextField(required=False, allow_blank=True, max_length=svc.MAX_TEXT)
    complaints_forwarded = TextField(required=False, allow_blank=True, max_length=svc.MAX_TEXT)


class MinuteOut(serializers.Serializer):
    kind = serializers.CharField()
    key = serializers.CharField()
    version = serializers.IntegerField()
    issued_at = serializers.DateTimeField()
    issued_by = serializers.CharField(allow_null=True)
    pdf_sha256 = serializers.CharField()
    data_sha256 = serializers.CharField()
    current = serializers.BooleanField()
    verify_url = serializers.CharField()


def minute_out(m: Minute, *, current: bool) -> dict[str, Any]:
    return {
        "kind": m.kind,
        "key": m.key,
        "version": m.version,
        "issued_at": m.issued_at,
        "issued_by": m.issued_by.get_username() if m.issued_by_id else None,
        "pdf_sha256": m.pdf_sha256,
        "data_sha256": m.data_sha256,
        "current": current,
        "verify_url": m.verify_url,
    }


def _list(election: Any, kind: str, key: str) -> Response:
    rows = svc.versions(election, kind, key)
    first = svc.currency(rows[0]).current if rows else False
    return Response([minute_out(m, current=i == 0 and first) for i, m in enumerate(rows)])


def _issue(request: Request, build: Any) -> Response:
    body = IssueIn(data=request.data)
    if not body.is_valid():
        return Response(
            {"detail": _("The request is not well formed."), "errors": serializer_errors(body.errors)}, status=400
        )
    try:
        document = build()
        minute = svc.minutes_issue(
            document=document,
            inputs=dict(body.validated_data),
            by=request.user,
            base_url=request.build_absolute_uri("/"),
            source=request_source(request, "api"),
        )
    except (md.MinutesUnavailable, svc.MinutesConflict) as exc:
        return domain_error_response(exc)
    return Response(minute_out(minute, current=True), status=201)


# --- counting minutes ----------------------------------------------------------------------------------------


class TallyMinutesPdfView(APIView):
    @extend_schema(
        parameters=[MinutesQuery],
        responses={**PDF, **refusals(400, 401, 403, 404), **NOT_YET},
        summary="Counting minutes (PDF)",
    )
    def get(self, request: Request, election: str, unit: str, contest: str) -> HttpResponse:
        scope = access_tally(request.user, election, unit, contest, need=Action.VIEW)
        return _bad_query(request, MinutesQuery) or counting_pdf_of(request, scope)


class TallyMinutesView(APIView):
    parser_classes = [SafeJSONParser]

    @extend_schema(
        parameters=[RoundQuery],
        responses={200: MinuteOut(many=True), **refusals(400, 401, 403, 404)},
        summary="Issued versions of the counting minutes",
    )
    def get(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope = access_tally(request.user, election, unit, contest, need=Action.VIEW)
        if refused := _bad_query(request, RoundQuery):
            return refused
        return _list(scope.election, Minute.Kind.COUNTING, key_for_version(scope, round_param(request)))

    @extend_schema(
        request=IssueIn,
        responses={201: MinuteOut, **refusals(400, 401, 403, 404, 409, 415, why={409: CONFLICT})},
        summary="Issue the counting minutes (the next version)",
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope: TallyScope = access_tally(request.user, election, unit, contest, need=Action.REVIEW)
        return _issue(request, lambda: svc.counting_document(scope))


# --- constituency minutes ------------------------------------------------------------------------------------


class ConstituencyMinutesPdfView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        parameters=[MinutesQuery],
        responses={**PDF, **refusals(400, 401, 404), **NOT_YET},
        summary="Constituency result minutes (PDF)",
    )
    def get(self, request: Request, election: str, constituency: str) -> HttpResponse:
        cons, insider = access_constituency_result(request.user, election, constituency)
        if refused := _bad_query(request, MinutesQuery):
            return refused
        number = round_param(request) or cons.current_round
        return serve(
            request,
            election=cons.election,
            kind=Minute.Kind.CONSTITUENCY,
            key=md.constituency_key(cons, number),
            build=lambda: svc.constituency_document(cons, number),
            may_draft=insider,
        )


class ConstituencyMinutesView(APIView):
    permission_classes = [AllowAny]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        parameters=[RoundQuery],
        responses={200: MinuteOut(many=True), **refusals(400, 401, 404)},
        summary="Issued versions of the constituency minutes",
    )
    def get(self, request: Request, election: str, constituency: str) -> Response:
        cons, _insider = access_constituency_result(request.user, election, constituency)
        if refused := _bad_query(request, RoundQuery):
            return refused
        number = round_param(request) or cons.current_round
        return _list(cons.election, Minute.Kind.CONSTITUENCY, md.constituency_key(cons, number))

    @extend_schema(
        request=IssueIn,
        responses={201: MinuteOut, **refusals(400, 401, 403, 404, 409, 415, why={409: CONFLICT})},
        summary="Issue the constituency minutes (the next version)",
    )
    def post(self, request: Request, election: str, constituency: str) -> Response:
        if not request.user.is_authenticated:
            raise NotAuthenticated
        cons, insider = access_constituency_result(request.user, election, constituency)
        if not (insider and can_constituency(grants_for(request.user, cons.election), cons, Action.REVIEW)):
            return Response(
                {"detail": _("Only the constituency's board or a committee above issues its minutes.")}, status=403
            )
        number = round_param(request)
        return _issue(request, lambda: svc.constituency_document(cons, number))
