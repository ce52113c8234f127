"""API of voter lists: the public "where do I vote" lookup (interfaces §8)."""

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import refusals
from api.parsers import SafeJSONParser
from core.http import client_address
from elections.models import Election
from voters import lookup


class VoterLookupIn(serializers.Serializer):
    national_id = serializers.CharField(max_length=20, trim_whitespace=True)
    date_of_birth = serializers.DateField(input_formats=["%Y-%m-%d"])


class PollingUnitRefOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class VoterLookupOut(serializers.Serializer):
    polling_unit = PollingUnitRefOut()


class VoterLookupView(APIView):
    """Where a voter votes: the polling unit only, when national ID and date of birth both match.

    Anything else is 404, whether the ID is unknown, the date is wrong or the input is malformed, and
    every answer takes the same time. A client that asks too often gets 429.
    """

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # public: no session, so no CSRF token is needed
    parser_classes = [SafeJSONParser]

    @extend_schema(
        request=VoterLookupIn,
        responses={
            200: VoterLookupOut,
            **refusals(
                400,
                404,
                415,
                429,
                503,
                why={
                    400: "the body is not JSON (too large, too deep, not UTF-8)",
                    404: "no active voter with this national ID and date of birth, or input not well formed",
                    429: "too many lookups from this client; try again in a minute",
                    503: "the shared cache that counts lookups does not answer; try again in half a minute",
                },
            ),
        },
        summary="Where do I vote?",
    )
    def post(self, request: Request, election: str) -> Response:
        obj = get_object_or_404(Election, slug=election)
        try:
            allowed = lookup.lookup_allowed(obj, client_address(request))
        except lookup.LookupUnavailable:
            return Response(
                {"detail": _("The lookup is unavailable for a moment; try again in half a minute.")},
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
                headers={"Retry-After": str(lookup.UNAVAILABLE_RETRY_SECONDS)},
            )
        if not allowed:
            return Response(
                {"detail": _("Too many lookups; try again in a minute.")},
                status=status.HTTP_429_TOO_MANY_REQUESTS,
                headers={"Retry-After": str(lookup.RETRY_AFTER_SECONDS)},
            )
        data = request.data if isinstance(request.data, dict) else {}
        form = VoterLookupIn(data=data)
        valid = form.is_valid()
        national_id = str(form.validated_data["national_id"]) if valid else ""
        born = form.validated_data["date_of_birth"] if valid else None
        unit = lookup.find_polling_unit(obj, national_id, born)
        if unit is None:
            return Response({"detail": _("Not found.")}, status=status.HTTP_404_NOT_FOUND)
        return Response(VoterLookupOut({"polling_unit": {"code": unit.code, "name": unit.name}}).data)
