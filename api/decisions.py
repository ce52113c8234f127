"""Rounds and decisions of a constituency (CONTRACT §10): open the second round, record a decision closing it.

- `POST .../results/{constituency}/rounds/` opens round 2 (an additional election, a re-election, or the
  re-election after the NEC's annulment of the whole constituency): 201 with the round; 409 when the result does
  not call for that round or a second round exists; 400 for a voting day before election day or after the
  deadline (Arts. 79(3), 80(4), 81(2)) or a malformed body.
- `POST .../results/{constituency}/decisions/` records `seats_left_vacant` or `tie_settled`: 201 with the result,
  now `decided`; 409 when its status does not allow that decision; 400 for a malformed body.

Both for a committee member above the constituency (results.permissions.can_decide_round): 403 for others who
may see the constituency, 404 for anyone else, exactly like a code that does not exist.
"""

from typing import Any

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import domain_error_response, refusals, serializer_errors
from api.fields import StrictBooleanField, StrictDateField, TextField
from api.lookups import constituency_for
from api.parsers import SafeJSONParser
from api.results import ConstituencyResultOut, constituency_result_json
from core.errors import DomainError
from core.http import request_source
from elections.models import Constituency
from results import permissions
from results.decisions import closing, further_rounds
from results.decisions.recording import MAX_BODY, MAX_REASON, MAX_REFERENCE, DecisionText


class DecisionTextIn(serializers.Serializer):
    body = TextField(min_length=1, max_length=MAX_BODY, help_text="the body that decided, e.g. the NEC")
    reference = TextField(min_length=1, max_length=MAX_REFERENCE, help_text="the decision's number")
    date = StrictDateField(help_text="YYYY-MM-DD")
    reason = TextField(required=False, allow_blank=True, max_length=MAX_REASON)


class RoundIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["additional", "re_election"])
    voting_day = StrictDateField(help_text="YYYY-MM-DD, from election day to the deadline")
    decision = DecisionTextIn()
    annulment = StrictBooleanField(
        required=False, default=False, help_text="true: the NEC annulled the constituency's result (Art. 81)"
    )
    consent = DecisionTextIn(
        required=False,
        help_text="the National Election Council's consent (body, reference, date): required for a People's "
        "Council re-election of an election held from 1 July 2025 (Art. 80(3) as amended)",
    )


class RoundOut(serializers.Serializer):
    round = serializers.IntegerField()
    round_kind = serializers.CharField(help_text="additional or re_election")
    seats = serializers.IntegerField(help_text="the seats this round fills")
    candidates = serializers.ListField(child=serializers.CharField(), help_text="codes on the ballot")
    voting_day = serializers.DateField()
    deadline = serializers.DateField()
    annulment = serializers.BooleanField()


class DecisionIn(serializers.Serializer):
    kind = serializers.ChoiceField(choices=["seats_left_vacant", "tie_settled"])
    body = TextField(min_length=1, max_length=MAX_BODY)
    reference = TextField(min_length=1, max_length=MAX_REFERENCE)
    date = StrictDateField(help_text="YYYY-MM-DD")
    reason = TextField(required=False, allow_blank=True, max_length=MAX_REASON)
    elected = serializers.ListField(
        child=TextField(min_length=1, max_length=64),
        required=False,
        max_length=10,
        help_text="tie_settled: codes of the tied candidates who take the open seats",
    )


def _constituency(request: Request, election: str, code: str) -> Constituency | Response:
    """The constituency if the person may decide for it; a 403 answer if they may only see it; 404 otherwise."""
    return constituency_for(
        request,
        election,
        code,
        may=permissions.can_decide_round,
        refusal=_("Only an election committee above the constituency records its decisions."),
    )


def _text(given: dict[str, Any]) -> DecisionText:
    return DecisionText(given["body"], given["reference"], given["date"], given.get("reason", ""))


def _malformed(found: serializers.Serializer) -> Response:
    return Response(
        {"detail": _("The request is not well formed."), "errors": serializer_errors(found.errors)}, status=400
    )


ERRORS = refusals(
    400,
    401,
    403,
    404,
    409,
    415,
    why={
        403: "your role may see this constituency but not decide for it",
        404: "no such election or constituency, or not yours",
    },
)


class RoundsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=RoundIn,
        responses={201: RoundOut, **ERRORS},
        summary="Open the second round (additional election, re-election, annulment)",
        description="409: the result does not call for that round, or a second round exists. 400: the voting "
        "day is before election day or after the deadline (Arts. 79(3), 80(4), 81(2)), or the body is malformed.",
    )
    def post(self, request: Request, election: str, constituency: str) -> Response:
        cons = _constituency(request, election, constituency)
        if isinstance(cons, Response):
            return cons
        body = RoundIn(data=request.data)
        if not body.is_valid():
            return _malformed(body)
        data: dict[str, Any] = body.validated_data
        text = data["decision"]
        try:
            row = further_rounds.round_open(
                constituency=cons,
                kind=data["kind"],
                voting_day=data["voting_day"],
                decision=_text(text),
                annulment=data["annulment"],
                consent=_text(data["consent"]) if data.get("consent") else None,
                by=request.user,
                source=request_source(request, "api"),
            )
        except DomainError as exc:
            return domain_error_response(exc)
        out = {
            "round": row.number,
            "round_kind": row.kind,
            "seats": row.seats,
            "candidates": list(row.candidates.order_by("ballot_order").values_list("code", flat=True)),
            "voting_day": row.voting_day,
            "deadline": row.deadline,
            "annulment": data["annulment"],
        }
        return Response(RoundOut(out).data, status=201)


class DecisionsView(APIView):
    permission_classes = [IsAuthenticated]
    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=DecisionIn,
        responses={201: ConstituencyResultOut, **ERRORS},
        summary="Record a decision closing the constituency (seats left vacant, tie settled)",
        description="201 with the result, now `decided`. 409: the result's status does not allow that decision. "
        "400: a malformed body, or `elected` not exactly the open seats' worth of tied candidates.",
    )
    def post(self, request: Request, election: str, constituency: str) -> Response:
        cons = _constituency(request, election, constituency)
        if isinstance(cons, Response):
            return cons
        body = DecisionIn(data=request.data)
        if not body.is_valid():
            return _malformed(body)
        data: dict[str, Any] = body.validated_data
        try:
            outcome = closing.decision_record(
                constituency=cons,
                kind=data["kind"],
                decision=DecisionText(data["body"], data["reference"], data["date"], data.get("reason", "")),
                elected=data.get("elected", []),
                by=request.user,
                source=request_source(request, "api"),
            )
        except DomainError as exc:
            return domain_error_response(exc)
        return Response(constituency_result_json(outcome), status=201)
