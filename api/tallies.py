"""The tally workflow API (interfaces §7) and turnout reports: parse, check access, one service call."""

import abc
import datetime as dt
import re
from collections import defaultdict
from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import domain_error_response, refusals
from api.fields import HOUR_MINUTE, HourMinuteField
from api.idempotency import HEADER, idempotent
from api.parsers import SafeJSONParser
from core.errors import Problem, lazy_format
from core.http import request_source
from elections.permissions import Action, access_polling_unit
from results.models import FIGURES, Flag, Tally
from results.permissions import TallyScope, access_tally
from results.tallies import double_entry, errors, records, services, turnout
from results.tallies.parsing import MAX_COMPLAINTS, MAX_COUNT, parse_tally

# A reviewer's reason to return or annul a tally: a few sentences, as on the office page (office/tallies/forms.py).
MAX_REASON = 2000


def _problems_response(code: int, message: Any, problems: list[Problem]) -> Response:
    errors: dict[str, list[str]] = defaultdict(list)
    for p in problems:
        errors[p.path or "non_field_errors"].append(p.message)
    return Response({"detail": message, "errors": errors}, status=code)


def tally_data(scope: TallyScope, tally: Tally, user: Any = None) -> dict[str, Any]:
    """The tally as the API shows it to `user`. With double entry (CONTRACT §12) also `entries` and
    `differences`; the second entrant sees none of the first entry's figures until the second is complete."""
    content = records.tally_figures(tally)
    flags = Flag.objects.filter(tally=tally, status=Flag.Status.OPEN).order_by("pk")
    standing = double_entry.standing(scope, tally, user)
    if standing.blind:
        content = {**dict.fromkeys(FIGURES), "votes": {}, "complaints": ""}
        flags = flags.none()
    extra = standing.as_json() if standing.on else {}
    return {
        "polling_unit": scope.unit.code,
        "contest": scope.contest.code,
        "constituency": scope.constituency.code,
        "round": tally.round,
        "attempt": tally.attempt,
        **{name: content[name] for name in FIGURES},
        "votes": content["votes"],
        "complaints": content["complaints"],
        "status": tally.status,
        "version": tally.version,
        "flags": [{"code": f.code, "severity": f.severity, "message": f.message, "source": f.source} for f in flags],
        "return_reason": tally.return_reason,
        "annul_reason": tally.annul_reason,
        **extra,
    }


BLIND = "null for the second entrant of a double entry until the second entry is complete (CONTRACT §12)"


class EntryOut(serializers.Serializer):
    entry = serializers.IntegerField(help_text="1: the first entry (the tally's figures); 2: the second")
    by = serializers.CharField()
    at = serializers.DateTimeField()
    complete = serializers.BooleanField()


class DifferenceOut(serializers.Serializer):
    field = serializers.CharField(help_text='"valid_ballots", "votes.QH1-01", ...')
    first = serializers.IntegerField(allow_null=True)
    second = serializers.IntegerField(allow_null=True)


class TallyOut(serializers.Serializer):
    polling_unit = serializers.CharField()
    contest = serializers.CharField()
    constituency = serializers.CharField()
    round = serializers.IntegerField()
    attempt = serializers.IntegerField()
    voters_on_list = serializers.IntegerField(allow_null=True, help_text=BLIND)
    voters_voted = serializers.IntegerField(allow_null=True, help_text=BLIND)
    ballots_issued = serializers.IntegerField(allow_null=True, help_text=BLIND)
    ballots_received = serializers.IntegerField(allow_null=True, help_text=BLIND)
    valid_ballots = serializers.IntegerField(allow_null=True, help_text=BLIND)
    invalid_ballots = serializers.IntegerField(allow_null=True, help_text=BLIND)
    votes = serializers.DictField(child=serializers.IntegerField())
    complaints = serializers.CharField()
    status = serializers.ChoiceField(choices=Tally.Status.choices)
    version = serializers.IntegerField()
    flags = serializers.ListField(child=serializers.DictField())
    return_reason = serializers.CharField()
    annul_reason = serializers.CharField()
    entries = EntryOut(many=True, required=False, help_text="double entry only: who typed each entry, and when")
    differences = DifferenceOut(
        many=True, required=False, help_text="double entry only: the lines on which the two entries disagree"
    )


def _count() -> serializers.IntegerField:
    return serializers.IntegerField(min_value=0, max_value=MAX_COUNT)


def _version_field() -> serializers.IntegerField:
    return serializers.IntegerField(
        required=False, allow_null=True, min_value=1, help_text="the version this copy is based on; omit at first"
    )


class TallyIn(serializers.Serializer):
    """Documentation of the body; the body itself is read by `results.tallies.parsing.parse_tally`."""

    voters_on_list = _count()
    voters_voted = _count()
    ballots_issued = _count()
    ballots_received = _count()
    valid_ballots = _count()
    invalid_ballots = _count()
    votes = serializers.DictField(child=_count(), help_text="every candidate of the constituency by code")
    complaints = serializers.CharField(required=False, allow_blank=True, allow_null=True, max_length=MAX_COMPLAINTS)
    version = _version_field()


class SubmitIn(TallyIn):
    """Submit's body: `{}` or `{"version": N}` submits the saved draft; with the figures, all of them."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


ERRORS = refusals(400, 401, 403, 404, 409, 415, 422, why={404: "no such election, polling unit or contest"})
# CONTRACT §12: a request repeated with the same key by the same user gets the first answer and changes nothing.
IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    str,
    OpenApiParameter.HEADER,
    required=False,
    description="1-100 visible characters: a request repeated with the same key by the same user within 24 hours "
    "gets the first answer again and changes nothing; the same key with a different request gets 422",
)
VersionIn = inline_serializer("VersionIn", {"version": _version_field()})
ReasonIn = inline_serializer(
    "ReasonIn", {"reason": serializers.CharField(min_length=1, max_length=MAX_REASON), "version": _version_field()}
)


def _version(data: Any) -> tuple[int | None, list[Problem]]:
    if not isinstance(data, dict) or data.get("version") is None:
        return None, []
    value = data["version"]
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        return None, [Problem("version", _("must be a positive whole number"))]
    return value, []


class TallyView(APIView):
    parser_classes = [SafeJSONParser]  # the figures are JSON numbers: a form's strings would only be refused

    @extend_schema(responses={200: TallyOut, **refusals(400, 401, 403, 404)}, summary="A tally (counting minutes)")
    def get(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope = access_tally(request.user, election, unit, contest, need=Action.VIEW)
        tally = records.current_tally(scope)
        if tally is None:
            return Response({"detail": _("No tally has been saved for this polling unit and contest yet.")}, status=404)
        return Response(tally_data(scope, tally, request.user))

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=TallyIn,
        responses={200: TallyOut, 201: TallyOut, **ERRORS},
        summary="Save the draft",
    )
    @idempotent
    def put(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope = access_tally(request.user, election, unit, contest, need=Action.ENTER)
        payload, problems = parse_tally(request.data, extra=frozenset({"version"}))
        version, version_problems = _version(request.data)
        if problems or version_problems:
            return _problems_response(400, _("The tally is not well formed."), problems + version_problems)
        assert payload is not None
        try:
            tally, created = double_entry.tally_save(
                scope=scope, payload=payload, version=version, by=request.user, source=request_source(request, "api")
            )
        except errors.TallyError as exc:
            return domain_error_response(exc)
        if tally is None:  # a second entry typed while the first is still an incomplete draft
            standing = double_entry.standing(scope, None, request.user)
            return Response({"detail": _("The second entry is saved."), **standing.as_json()}, status=200)
        return Response(tally_data(scope, tally, request.user), status=201 if created else 200)


class _Transition(APIView, abc.ABC):
    parser_classes = [SafeJSONParser]
    need = Action.REVIEW

    @abc.abstractmethod
    def act(self, request: Request, scope: TallyScope, version: int | None) -> Tally:
        """The service call of this transition."""

    @idempotent
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        scope = access_tally(request.user, election, unit, contest, need=self.need)
        if not isinstance(request.data, dict):  # a body, when there is one, is an object
            return _problems_response(
                400, _("The request is not well formed."), [Problem("", _("must be a JSON object"))]
            )
        version, problems = _version(request.data)
        if problems:
            return _problems_response(400, _("The request is not well formed."), problems)
        try:
            tally = self.act(request, scope, version)
        except errors.TallyError as exc:
            return domain_error_response(exc)
        return Response(tally_data(scope, tally, request.user))


class SubmitView(_Transition):
    """Submit the saved draft; or, with the figures in the body, save and submit them in one request."""

    need = Action.ENTER

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=SubmitIn,
        responses={200: TallyOut, **ERRORS},
        summary="Submit (clerk)",
        description='Body `{}` or `{"version": N}` submits the saved draft. A body with the figures of '
        "contract §2 (and the `version` it is based on, if a draft exists) saves and submits them at once.",
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        return super().post(request, election, unit, contest)

    def act(self, request: Request, scope: TallyScope, version: int | None) -> Tally:
        payload = None
        if isinstance(request.data, dict) and set(request.data) - {"version"}:
            payload, problems = parse_tally(request.data, extra=frozenset({"version"}))
            if problems:
                raise errors.TallyInvalid("The tally is not well formed.", problems)
        return double_entry.tally_submit(
            scope=scope, by=request.user, version=version, source=request_source(request, "api"), payload=payload
        )


def _reason(request: Request) -> str:
    """The `reason` of the body: text, at most MAX_REASON characters (an empty one is the service's to refuse)."""
    reason = request.data.get("reason", "") if isinstance(request.data, dict) else ""
    if not isinstance(reason, str):
        return ""
    if "\x00" in reason:  # PostgreSQL text cannot hold it
        raise errors.TallyInvalid(
            _("The request is not well formed."), [Problem("reason", _("must be text (without NUL characters)"))]
        )
    if len(reason) > MAX_REASON:
        words = _("at most %(max)s characters (this text has %(n)s)")
        raise errors.TallyInvalid(
            _("The request is not well formed."),
            [Problem("reason", lazy_format(words, max=MAX_REASON, n=len(reason)))],
        )
    return reason


class ReturnView(_Transition):
    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=ReasonIn,
        responses={200: TallyOut, **ERRORS},
        summary="Return with a reason",
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        return super().post(request, election, unit, contest)

    def act(self, request: Request, scope: TallyScope, version: int | None) -> Tally:
        return services.tally_return(
            scope=scope,
            reason=_reason(request),
            by=request.user,
            version=version,
            source=request_source(request, "api"),
        )


class ApproveView(_Transition):
    @extend_schema(
        parameters=[IDEMPOTENCY_KEY], request=VersionIn, responses={200: TallyOut, **ERRORS}, summary="Approve"
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        return super().post(request, election, unit, contest)

    def act(self, request: Request, scope: TallyScope, version: int | None) -> Tally:
        return services.tally_approve(
            scope=scope, by=request.user, version=version, source=request_source(request, "api")
        )


class AnnulView(_Transition):
    need = Action.MANAGE

    @extend_schema(
        parameters=[IDEMPOTENCY_KEY],
        request=ReasonIn,
        responses={200: TallyOut, **ERRORS},
        summary="Annul the unit's result (Art. 81)",
    )
    def post(self, request: Request, election: str, unit: str, contest: str) -> Response:
        return super().post(request, election, unit, contest)

    def act(self, request: Request, scope: TallyScope, version: int | None) -> Tally:
        return services.tally_annul(
            scope=scope,
            reason=_reason(request),
            by=request.user,
            source=request_source(request, "api"),
        )


class TurnoutReportView(APIView):
    """A clerk's turnout report at one of the day's reporting times."""

    parser_classes = [SafeJSONParser]

    @extend_schema(
        parameters=[
            OpenApiParameter("at", str, OpenApiParameter.PATH, pattern=HOUR_MINUTE, description="a reporting time"),
            IDEMPOTENCY_KEY,
        ],
        request=inline_serializer("TurnoutIn", {"voters_voted": _count()}),
        responses={
            200: inline_serializer(
                "TurnoutOut",
                {
                    "at": HourMinuteField(),
                    "voters_voted": serializers.IntegerField(),
                    "warnings": serializers.ListField(child=serializers.CharField()),
                },
            ),
            **refusals(400, 401, 404, 415, 422, why={404: "no such election or polling unit, or not yours"}),
        },
        summary="Report turnout so far (clerk)",
    )
    @idempotent
    def put(self, request: Request, election: str, unit: str, at: str) -> Response:
        polling_unit = access_polling_unit(request.user, election, unit, need=Action.ENTER)
        if not re.fullmatch(HOUR_MINUTE, at):
            return _problems_response(400, _("Not a time."), [Problem("at", _("must be HH:MM"))])
        when = dt.time.fromisoformat(at)
        value = request.data.get("voters_voted") if isinstance(request.data, dict) else None
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_COUNT:
            return _problems_response(
                400, _("Not a count."), [Problem("voters_voted", _("must be a whole number >= 0"))]
            )
        try:
            report, found = turnout.turnout_report_save(
                unit=polling_unit, at=when, voters_voted=value, by=request.user, source=request_source(request, "api")
            )
        except errors.TallyError as exc:
            return domain_error_response(exc)
        return Response(
            {
                "at": report.at.isoformat("minutes"),
                "voters_voted": report.voters_voted,
                "warnings": [f.message for f in found],
            }
        )
