"""Health (CONTRACT §11): whether this web process reaches the database, the cache and the broker.

Public and without credentials, so a load balancer or a monitor can ask each web process directly; never cached.
"""

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import refusals
from core import health


class HealthOut(serializers.Serializer):
    database = serializers.ChoiceField(choices=[health.OK, health.ERROR], help_text="a `SELECT 1`")
    cache = serializers.ChoiceField(
        choices=[health.OK, health.LOCAL, health.ERROR],
        help_text="a value written to the shared cache and read back; local: each process has its own cache",
    )
    broker = serializers.ChoiceField(
        choices=[health.OK, health.NONE, health.ERROR],
        help_text="a PING of the broker; none: no broker, background work runs in the web process",
    )


class HealthFailingOut(HealthOut):
    failing = serializers.ListField(child=serializers.ChoiceField(choices=health.PARTS), help_text="the parts in error")


class HealthView(APIView):
    """200 when every part answers; 503 naming the parts that do not."""

    permission_classes = [AllowAny]
    authentication_classes: list[type] = []  # public: credentials are not read

    @extend_schema(
        responses={
            200: HealthOut,
            503: OpenApiResponse(HealthFailingOut, description="a part does not answer: `failing` names it"),
            **refusals(400),
        },
        summary="Health of this web process",
    )
    def get(self, request: Request) -> Response:
        states = health.health()
        failing = health.failing(states)
        if failing:
            response = Response({**states, "failing": failing}, status=status.HTTP_503_SERVICE_UNAVAILABLE)
        else:
            response = Response(states)
        response["Cache-Control"] = "no-store"
        return response
