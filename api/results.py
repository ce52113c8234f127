"""Results API (interfaces §3): one constituency, or a whole contest with its constituencies and affiliations.

Allowed at once to the committees above, the constituency's board, auditors and staff; to everyone once
the result is published. Anything else answers 404, exactly like a code that does not exist.
"""

import dataclasses
from typing import Any

from django.http import Http404, HttpResponse
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.errors import refusals
from api.publication import json_bytes, public_json, publication_api, without_credentials
from elections.models import Constituency, Contest
from elections.permissions import Action, can_constituency, grants_for
from public import cache
from results.models import ConstituencyResult, ResultPublication
from results.outcomes import constituency as outcomes
from results.outcomes import contests, rounds
from results.outcomes.constituency import ConstituencyOutcome
from results.outcomes.contests import ContestOutcome
from results.permissions import can_see_whole_contest
from results.publication import services as publication
from results.publication.record import result_record
from results.publication.services import current_publication
from results.rules import margins


class CandidateResultOut(serializers.Serializer):
    code = serializers.CharField()
    full_name = serializers.CharField()
    date_of_birth = serializers.CharField(help_text="YYYY-MM-DD, YYYY-MM or YYYY, as imported")
    affiliation = serializers.CharField()
    votes = serializers.IntegerField()
    pct_of_valid = serializers.CharField(help_text="two decimals, rounded half up")
    elected = serializers.BooleanField()


class EarlierWinnerOut(CandidateResultOut):
    round = serializers.IntegerField()


class FlagOut(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField(help_text="error, warning or info")
    polling_unit = serializers.CharField(allow_null=True)
    message = serializers.CharField()
    source = serializers.CharField()


class ReasonOut(serializers.Serializer):
    code = serializers.CharField()
    article = serializers.CharField()
    message = serializers.CharField()


class ConsentOut(serializers.Serializer):
    body = serializers.CharField()
    reference = serializers.CharField()
    date = serializers.DateField()


class DecisionOut(serializers.Serializer):
    kind = serializers.CharField(help_text="additional, re_election, annulment, seats_left_vacant or tie_settled")
    body = serializers.CharField()
    reference = serializers.CharField()
    date = serializers.DateField()
    reason = serializers.CharField()
    round = serializers.IntegerField(help_text="the round whose result it decides")
    article = serializers.CharField()
    elected = serializers.ListField(
        child=serializers.CharField(), required=False, help_text="tie_settled: the candidates it elects"
    )
    consent = ConsentOut(
        required=False, help_text="re_election of a People's Council (2025 text): the NEC's consent, Art. 80(3)"
    )


class MarginOut(serializers.Serializer):
    can_change = serializers.BooleanField()
    polling_units = serializers.ListField(child=serializers.CharField())
    pending_voters = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.DictField())


class TotalsOut(serializers.Serializer):
    election = serializers.CharField()
    polling_units = serializers.IntegerField()
    polling_units_counted = serializers.IntegerField()
    voters_on_list = serializers.IntegerField()
    voters_voted = serializers.IntegerField()
    turnout_pct = serializers.CharField()
    ballots_issued = serializers.IntegerField()
    ballots_received = serializers.IntegerField()
    valid_ballots = serializers.IntegerField()
    invalid_ballots = serializers.IntegerField()
    valid_pct = serializers.CharField()
    invalid_pct = serializers.CharField()
    seats = serializers.IntegerField()
    seats_filled = serializers.IntegerField()
    published = serializers.BooleanField()


class ConstituencyResultOut(TotalsOut):
    contest = serializers.CharField()
    constituency = serializers.CharField()
    name = serializers.CharField()
    round = serializers.IntegerField()
    round_kind = serializers.CharField(help_text="regular, additional or re_election")
    round_seats = serializers.IntegerField(help_text="seats this round fills (an additional election: those left)")
    candidates = CandidateResultOut(many=True, help_text="most votes first, then ballot order")
    elected_in_earlier_rounds = EarlierWinnerOut(many=True)
    status = serializers.CharField(help_text=", ".join(rounds.STATUSES))
    flags = FlagOut(many=True)
    reasons = ReasonOut(many=True)
    second_round_deadline = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(
        allow_null=True,
        help_text="the last lawful voting day of the second round (or re-vote) the status calls for; null when none",
    )
    decisions = DecisionOut(many=True, help_text="recorded decisions, oldest first")
    margin = MarginOut(allow_null=True, help_text="incomplete results: can the units not counted change it?")


class ConstituencyStatusOut(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()
    status = serializers.CharField(help_text=", ".join(rounds.STATUSES))
    seats = serializers.IntegerField()
    seats_filled = serializers.IntegerField()
    round = serializers.IntegerField()
    round_kind = serializers.CharField()
    polling_units = serializers.IntegerField()
    polling_units_counted = serializers.IntegerField()
    published = serializers.BooleanField()


class AffiliationOut(serializers.Serializer):
    name = serializers.CharField()
    votes = serializers.IntegerField()
    pct_of_valid = serializers.CharField()
    seats_won = serializers.IntegerField()


class ContestResultOut(TotalsOut):
    contest = serializers.CharField()
    name = serializers.CharField()
    level = serializers.CharField()
    status_counts = serializers.DictField(child=serializers.IntegerField())
    constituencies = ConstituencyStatusOut(many=True)
    affiliations = AffiliationOut(many=True)


# --- the JSON of results: built here from the domain's values ------------------------------------------------


def constituency_result_json(outcome: ConstituencyOutcome) -> dict[str, Any]:
    """A constituency's live result (ConstituencyResultOut): the published record's fields, with the committees'
    working notes (flags, margin check) that a publication leaves out."""
    return result_record(outcome) | {
        "flags": [
            {
                "code": f.code,
                "severity": f.severity,
                "polling_unit": f.polling_unit.code if f.polling_unit_id else None,
                "message": f.message,
                "source": f.source,
            }
            for f in outcome.flags
        ],
        "margin": _margin_json(outcome.margin),
    }


def _margin_json(m: margins.MarginCheck | None) -> dict[str, Any] | None:
    if m is None:
        return None
    return {
        "can_change": m.can_change,
        "polling_units": list(m.pending_units),
        "pending_voters": m.pending_voters,
        "reasons": [{"code": r.code, "message": r.message} for r in m.reasons],
    }


def contest_result_json(outcome: ContestOutcome) -> dict[str, Any]:
    """A contest's result (ContestResultOut)."""
    return {
        "election": outcome.contest.election.slug,
        "contest": outcome.contest.code,
        "name": outcome.contest.name,
        "level": outcome.contest.level,
        "seats": outcome.seats,
        "seats_filled": outcome.seats_filled,
        "polling_units": outcome.polling_units,
        "polling_units_counted": outcome.polling_units_counted,
        **outcome.figures.as_dict(),
        "published": outcome.published,
        "status_counts": outcome.status_counts,
        "constituencies": [
            {
                "code": c.constituency.code,
                "name": c.constituency.name,
                "status": c.status,
                "seats": c.seats,
                "seats_filled": c.seats_filled,
                "round": c.round,
                "round_kind": c.round_kind,
                "polling_units": c.polling_units,
                "polling_units_counted": c.polling_units_counted,
                "published": c.published,
            }
            for c in outcome.constituencies
        ],
        "affiliations": [dataclasses.asdict(a) for a in outcome.affiliations],
    }


REFUSALS = refusals(400, 401, 404, why={404: "no such election or constituency, or not published and not yours to see"})


def _published(constituency: Constituency) -> bool:
    return ConstituencyResult.objects.filter(
        constituency=constituency, round=constituency.current_round, published=True
    ).exists()


class ConstituencyResultView(APIView):
    """Committees, the board, auditors and staff get the live result (never stored by a cache on the way);
    everyone else gets the published version, with its corrections, from the public cache (ETag, 304)."""

    permission_classes = [AllowAny]

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> HttpResponse:
        if without_credentials(request):  # the public's request: straight to the cache, no DRF machinery
            return public_json(lambda: _public_result(request, kwargs["election"], kwargs["constituency"]))
        return super().dispatch(request, *args, **kwargs)

    @extend_schema(responses={200: ConstituencyResultOut, **REFUSALS}, summary="Result of a constituency")
    def get(self, request: Request, election: str, constituency: str) -> HttpResponse:
        if not request.user.is_authenticated:
            return _public_result(request, election, constituency)
        cons = (
            Constituency.objects.filter(election__slug=election, code=constituency)
            .select_related("election", "contest", "area")
            .first()
        )
        if cons is None:
            raise Http404("No such constituency")
        if not can_constituency(grants_for(request.user, cons.election), cons, Action.VIEW):
            return _public_result(request, election, constituency)
        data = constituency_result_json(outcomes.constituency_outcome(cons))
        state = publication.publication_state(cons)
        data["publication"] = publication_api(current_publication(cons))
        data["publication_proposal"] = (
            {"proposed_by": state.proposal.proposed_by.get_username(), "proposed_at": state.proposal.proposed_at}
            if state.proposal
            else None
        )
        return cache.private(Response(data))


def _public_result(request: Request, election: str, code: str) -> HttpResponse:
    rev = cache.revision(election)

    def build() -> tuple[bytes, str]:
        cons = Constituency.objects.filter(election_id=rev.election_id, code=code).select_related(
            "election", "contest", "area"
        )
        obj = cons.first()
        if obj is None:
            raise Http404("No such constituency")
        pub = current_publication(obj)
        if pub is None:
            if not _published(obj):  # published by hand, without a snapshot: the live figures, as before
                raise Http404("No such constituency")
            return json_bytes(constituency_result_json(outcomes.constituency_outcome(obj)))
        history = ResultPublication.objects.filter(constituency=obj).order_by("sequence")
        data = {
            "deadline": None,  # a publication made before these were part of the record
            "decisions": [],
            **pub.data,
            "publication": publication_api(pub),
            "publications": [publication_api(p) for p in history.defer("data", "units")],
        }
        return json_bytes(data)

    return cache.respond(request, rev, build, uses=("results",), headers={"Access-Control-Allow-Origin": "*"})


class ContestResultView(APIView):
    permission_classes = [AllowAny]

    @extend_schema(responses={200: ContestResultOut, **REFUSALS}, summary="Result of a contest")
    def get(self, request: Request, election: str, contest: str) -> HttpResponse:
        obj = Contest.objects.filter(election__slug=election, code=contest).select_related("election").first()
        if obj is None:
            raise Http404("No such contest")
        if can_see_whole_contest(request.user, obj.election, obj):
            return cache.private(Response(contest_result_json(contests.contest_outcome(obj))))
        rev = cache.revision(election)

        def build() -> tuple[bytes, str]:
            outcome = contests.contest_outcome(obj)
            if not outcome.published:  # every constituency of the contest must be published
                raise Http404("No such contest")
            return json_bytes(contest_result_json(outcome))

        return cache.respond(request, rev, build, uses=("results",), headers={"Access-Control-Allow-Origin": "*"})
