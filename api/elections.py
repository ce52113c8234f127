"""API of the election structure: public reads (the structure is public information) and the caller's roles."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import refusals
from api.fields import HourMinuteField
from elections.models import Constituency, Election, PollingUnit, RoleAssignment
from voters.selectors import registered_voters


class ContestOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()


class ElectionOut(serializers.Serializer):
    slug = serializers.CharField()
    name = serializers.CharField()
    election_day = serializers.DateField()
    rules = serializers.CharField()
    time_zone = serializers.CharField()
    voting_opens = HourMinuteField()
    voting_closes = HourMinuteField()


class ElectionDetailOut(ElectionOut):
    contests = ContestOut(many=True)
    areas = serializers.IntegerField()
    constituencies = serializers.IntegerField()
    polling_units = serializers.IntegerField()
    candidates = serializers.IntegerField()


class PollingUnitOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    area = serializers.CharField()
    registered_voters = serializers.IntegerField(allow_null=True)
    constituencies = serializers.ListField(child=serializers.CharField())


class CandidateOut(serializers.Serializer):
    code = serializers.CharField()
    ballot_order = serializers.IntegerField()
    full_name = serializers.CharField()
    date_of_birth = serializers.CharField(source="date_of_birth_display")
    gender = serializers.CharField()
    affiliation = serializers.CharField()


class ConstituencyOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    contest = serializers.CharField(source="contest.code")
    area = serializers.CharField(source="area.code")
    seats = serializers.IntegerField()
    polling_units = serializers.IntegerField(source="n_units")
    candidates = CandidateOut(many=True, source="ballot")


class RoleOut(serializers.Serializer):
    election = serializers.CharField(source="election.slug")
    role = serializers.CharField()
    polling_unit = serializers.CharField(source="polling_unit.code", allow_null=True, default=None)
    constituency = serializers.CharField(source="constituency.code", allow_null=True, default=None)
    area = serializers.CharField(source="area.code", allow_null=True, default=None)


class MeOut(serializers.Serializer):
    username = serializers.CharField()
    is_staff = serializers.BooleanField()
    roles = RoleOut(many=True)


class ElectionListView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ElectionOut(many=True), **refusals(400, 401)}, summary="Elections")
    def get(self, request: Request) -> Response:
        return Response(ElectionOut(Election.objects.all(), many=True).data)


class ElectionDetailView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: ElectionDetailOut, **refusals(400, 401, 404)}, summary="An election and its contests"
    )
    def get(self, request: Request, election: str) -> Response:
        obj = get_object_or_404(Election, slug=election)
        data = ElectionOut(obj).data
        data["contests"] = ContestOut(obj.contests.all(), many=True).data
        for name in ("areas", "constituencies", "polling_units", "candidates"):
            data[name] = getattr(obj, name).count()
        return Response(data)


class PollingUnitDetailView(APIView):
    """A polling unit (interfaces §8): public, so voters can find where they vote."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: PollingUnitOut, **refusals(400, 401, 404)}, summary="A polling unit")
    def get(self, request: Request, election: str, code: str) -> Response:
        unit = get_object_or_404(PollingUnit.objects.select_related("area"), election__slug=election, code=code)
        constituencies = unit.memberships.order_by("contest__position").values_list("constituency__code", flat=True)
        return Response(
            PollingUnitOut(
                {
                    "code": unit.code,
                    "name": unit.name,
                    "area": unit.area.code,
                    # A loaded voter list replaces the figure of the structure file (interfaces §8).
                    "registered_voters": (
                        unit.registered_voters if (listed := registered_voters(unit)) is None else listed
                    ),
                    "constituencies": list(constituencies),
                }
            ).data
        )


class ConstituencyDetailView(APIView):
    """A constituency with its seats and its candidates in ballot order (public, as the posted lists are)."""

    permission_classes = [AllowAny]

    @extend_schema(
        responses={200: ConstituencyOut, **refusals(400, 401, 404)}, summary="A constituency and its candidates"
    )
    def get(self, request: Request, election: str, code: str) -> Response:
        obj = get_object_or_404(
            Constituency.objects.select_related("contest", "area"), election__slug=election, code=code
        )
        obj.n_units = obj.memberships.count()
        obj.ballot = list(obj.candidates.order_by("ballot_order"))
        return Response(ConstituencyOut(obj).data)


class MeView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOut, **refusals(400, 401)}, summary="The caller and their roles")
    def get(self, request: Request) -> Response:
        roles = RoleAssignment.objects.filter(user=request.user).select_related(
            "election", "polling_unit", "constituency", "area"
        )
        user = request.user
        return Response(MeOut({"username": user.get_username(), "is_staff": user.is_staff, "roles": roles}).data)
