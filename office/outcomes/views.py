"""Committee pages of results: a constituency's result, a contest's overview, opening a round, resolving a flag.

Each view: access check, one selector or service call, render.
"""

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from django_tables2 import RequestConfig

from core.errors import DomainError
from core.http import request_source, show_refusal
from elections import audit_codes
from elections.models import Constituency
from elections.permissions import Action, access_constituency, access_election, can_area, grants_for
from elections.selectors import constituencies_visible
from office.outcomes.forms import ANNULMENT, DecisionRecordForm, RoundOpenForm
from office.tallies.filters import ContestConstituencyFilter
from office.tallies.tables import ContestConstituencyTable
from results import permissions
from results.decisions import closing, further_rounds, history
from results.flags import screening
from results.minutes import data as minutes_data
from results.models import ConstituencyDecision, ConstituencyResult, Flag, PublicationProposal
from results.outcomes import charts, contests, rounds
from results.outcomes import constituency as outcomes
from results.outcomes import revotes as unit_revotes
from results.outcomes import wording as explain
from results.publication import services as publication
from results.rules import second_rounds
from results.rules import winners as rules

ROUND_KINDS = {
    rules.ADDITIONAL: gettext_lazy("Additional election (Art. 79)"),
    rules.RE_ELECTION: gettext_lazy("Re-election (Art. 80)"),
    ANNULMENT: gettext_lazy("The NEC annulled the constituency's result: re-election (Art. 81)"),
}
CLOSING_KINDS = {
    "seats_left_vacant": gettext_lazy("Leave the seats vacant: no further round"),
    "tie_settled": gettext_lazy("Settle the tie: name who takes the open seats (Art. 78(4))"),
}


@require_safe
@login_required
def constituency_result(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """Status, winners, the reasons in words, flags, counted units, the margin check and the second round."""
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    grants = grants_for(request.user, constituency.election)
    outcome = outcomes.constituency_outcome(constituency)
    names = outcome.names
    unit_codes = [p.code for p in outcome.pending]
    today = timezone.localdate()
    deadline = outcome.deadline
    # The rounds the NEC annulled as a whole (Art. 81(1)): their status is no longer the result.
    annulled = {d.round: d for d in outcome.decisions if d.kind == ConstituencyDecision.Kind.ANNULMENT}
    chart = charts.share_chart(
        [(c.full_name, c.pct_of_valid, c.elected) for c in outcome.candidates],
        majority_line=constituency.election.rules == "vn-2015",
    )
    context = {
        "election": constituency.election,
        "constituency": constituency,
        "outcome": outcome,
        "reasons": [explain.explain(r, names) for r in outcome.current.reasons],
        "earlier": [
            (
                rr,
                [explain.explain(r, names) for r in rr.reasons if r.code.startswith(("turnout", "seats", "tie"))],
                annulled.get(rr.number),
            )
            for rr in outcome.earlier
        ],
        # Art. 82: a second round's voter list is the first election's; shown so until a unit of it is counted
        "first_list": outcome.earlier[0].figures.voters_on_list
        if outcome.earlier and not outcome.current.polling_units_counted
        else None,
        "margin_summary": explain.margin_summary(outcome.margin),
        "margin_reasons": [explain.explain(r, names, unit_codes) for r in outcome.margin.reasons]
        if outcome.margin
        else [],
        "chart": chart,
        "can_decide": permissions.can_decide_round(grants, constituency),
        "can_resolve": permissions.can_resolve_any(grants),
        "today": today,
        "days_left": (deadline - today).days if deadline else None,
        "deadline_days": rounds.second_round_days(constituency.election),
        "publication": publication.publication_state(constituency),
        "can_publish": permissions.can_publish(grants, constituency),
        "revotes": unit_revotes.revotes(constituency, outcome.current.number),
        "history": [(e, audit_codes.label(e.action)) for e in history.constituency_history(constituency)],
    }
    return render(request, "results/constituency_result.html", context)


@require_POST
@login_required
def result_publish(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The publish button: propose, or confirm another member's proposal (interfaces §9)."""
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    if not permissions.can_publish(grants_for(request.user, constituency.election), constituency):
        raise PermissionDenied("Only a board member of the constituency or a committee member above it publishes.")
    try:
        state = publication.result_publish(constituency=constituency, by=request.user, source=request_source(request))
    except publication.PublicationRefused as exc:
        show_refusal(request, exc)
    else:
        if state.action == publication.PROPOSED:
            messages.success(request, _("Publication proposed; another member must confirm it."))
        elif state.action == publication.PUBLISHED:
            messages.success(request, _("Published: the result is now public."))
        else:
            messages.info(request, _("Nothing changed: you proposed it, or it is already published as it stands."))
    return redirect("results:constituency-result", slug, code)


@require_POST
@login_required
def turnout_publish(request: HttpRequest, slug: str) -> HttpResponse:
    """The election committee makes turnout during the day public for the whole election, or stops it."""
    election = access_election(request.user, slug)
    if not permissions.can_publish_turnout(grants_for(request.user, election)):
        raise PermissionDenied("Only the election committee of a top-level area publishes turnout.")
    publish = request.POST.get("publish") == "1"
    publication.turnout_publish(election=election, publish=publish, by=request.user, source=request_source(request))
    messages.success(request, _("Turnout is now public.") if publish else _("Turnout is no longer public."))
    return redirect("elections:election-detail", slug)


def _decider(request: HttpRequest, slug: str, code: str) -> Constituency:
    """The constituency, for an election committee above it (Arts. 79-81): 404 for who may not see it, 403 for
    who may see it but not decide."""
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    if not permissions.can_decide_round(grants_for(request.user, constituency.election), constituency):
        raise PermissionDenied("Only the election committee above the constituency records its decisions.")
    return constituency


# A refusal's problem path (results/decisions) -> the form's field that shows it.
FIELD_OF = {
    "decision.body": "body",
    "decision.reference": "reference",
    "decision.date": "date",
    "consent.body": "consent_body",
    "consent.reference": "consent_reference",
    "consent.date": "consent_date",
}


def _refusal_on_form(form: forms.Form, exc: DomainError) -> None:
    """The service's refusal shown on the form: each problem under its field, else the message above the form."""
    placed = False
    for p in exc.problems:
        field = FIELD_OF.get(p.path, p.path)
        if field in form.fields:
            form.add_error(field, str(p.message))
            placed = True
    if not placed:
        form.add_error(None, str(exc.message))


def _decision_context(constituency: Constituency, outcome: outcomes.ConstituencyOutcome, form: forms.Form) -> dict:
    return {
        "election": constituency.election,
        "constituency": constituency,
        "outcome": outcome,
        "form": form,
        "days": rounds.second_round_days(constituency.election),
    }


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def round_open(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The election committee opens the round the result calls for, or the re-election after the NEC annuls the
    constituency's result (Art. 81), with the decision's body, reference and date (CONTRACT §10)."""
    constituency = _decider(request, slug, code)
    outcome = outcomes.constituency_outcome(constituency, with_margin=False)
    kinds: list[tuple[str, Any]] = []
    if outcome.current.number == 1:
        if outcome.next_round:
            kinds.append((outcome.next_round, ROUND_KINDS[outcome.next_round]))
        kinds.append((ANNULMENT, ROUND_KINDS[ANNULMENT]))
    deadline_help = _("No later than %(deadline)s: %(days)s days after election day (Arts. 79(3), 80(4), 81(2)).") % {
        "deadline": date_format(outcome.deadline, "SHORT_DATE_FORMAT") if outcome.deadline else "",
        "days": rounds.second_round_days(constituency.election),
    }
    posted = request.POST if request.method == "POST" else None
    consent_needed = second_rounds.nec_consent_required(
        outcome.next_round or "", constituency.contest.level, constituency.election.election_day
    )
    form = RoundOpenForm(posted, kinds=kinds, deadline_help=deadline_help, consent_needed=consent_needed)
    if posted is not None and kinds and form.is_valid():
        kind = form.cleaned_data["kind"]
        try:
            further_rounds.round_open(
                constituency=constituency,
                kind=rules.RE_ELECTION if kind == ANNULMENT else kind,
                voting_day=form.cleaned_data["voting_day"],
                decision=form.decision(),
                annulment=kind == ANNULMENT,
                consent=form.consent() if kind != ANNULMENT else None,
                by=request.user,
                source=request_source(request),
            )
        except DomainError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("Round 2 is open; the polling units now enter its counting minutes."))
            return redirect("results:constituency-result", slug, code)
    context = _decision_context(constituency, outcome, form) | {"kinds": kinds}
    return render(request, "results/round_open.html", context, status=400 if posted is not None else 200)


@require_http_methods(["GET", "HEAD", "POST"])
@login_required
def decision_record(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The competent body's decision closing the constituency: seats left vacant, or a tie settled (CONTRACT §10)."""
    constituency = _decider(request, slug, code)
    outcome = outcomes.constituency_outcome(constituency, with_margin=False)
    kinds = [(k, CLOSING_KINDS[k]) for k in outcome.closing_kinds]
    tied = [(c.code, c.full_name) for c in outcome.candidates if c.tied]
    posted = request.POST if request.method == "POST" else None
    form = DecisionRecordForm(posted, kinds=kinds, tied=tied)
    if posted is not None and kinds and form.is_valid():
        try:
            closing.decision_record(
                constituency=constituency,
                kind=form.cleaned_data["kind"],
                decision=form.decision(),
                elected=form.cleaned_data.get("elected", []),
                by=request.user,
                source=request_source(request),
            )
        except DomainError as exc:
            _refusal_on_form(form, exc)
        else:
            messages.success(request, _("Decision recorded: the result is decided."))
            return redirect("results:constituency-result", slug, code)
    context = _decision_context(constituency, outcome, form) | {"kinds": kinds}
    return render(request, "results/decision_record.html", context, status=400 if posted is not None else 200)


@require_safe
@login_required
def contest_result(request: HttpRequest, slug: str, contest: str) -> HttpResponse:
    """Every constituency of a contest the person oversees, with its status, and the totals over them."""
    election = access_election(request.user, slug)
    grants = grants_for(request.user, election)
    # the home page offers this page for the same contests, so a link never leads to a 404
    obj = permissions.contests_with_results(election, grants).filter(code=contest).first()
    if obj is None:
        raise Http404("No such contest")
    visible = constituencies_visible(election, grants).filter(contest=obj)
    total = obj.constituencies.count()
    shown = visible.count()
    outcome = contests.contest_outcome(obj, constituencies=None if shown == total else visible)
    affiliations = outcome.affiliations[:12]
    filterset = ContestConstituencyFilter(request.GET or None, queryset=_with_publication(visible))
    wanted = set(filterset.qs.values_list("pk", flat=True))
    proposed = set(
        PublicationProposal.objects.filter(
            constituency__contest=obj, status=PublicationProposal.Status.PENDING
        ).values_list("constituency_id", flat=True)
    )
    rows = [
        {
            "slug": election.slug,
            "code": c.constituency.code,
            "name": c.constituency.name,
            "round": c.round,
            "status": c.status,
            "counted": c.polling_units_counted,
            "units": c.polling_units,
            "seats_filled": c.seats_filled,
            "seats": c.seats,
            "publication": "published"
            if c.published
            else ("proposed" if c.constituency.pk in proposed else "not_published"),
        }
        for c in outcome.constituencies
        if c.constituency.pk in wanted
    ]
    table = ContestConstituencyTable(rows)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {
        "election": election,
        "contest": obj,
        "outcome": outcome,
        "table": table,
        "filter": filterset,
        "partial": shown < total,
        "total": total,
        "chart": charts.share_chart(
            [(a.name or _("No affiliation"), a.pct_of_valid, a.seats_won > 0) for a in affiliations],
            majority_line=False,
        )
        if obj.constituencies.filter(seats=1).count() == total
        else None,
        "areas": contests.area_breakdown(obj) if shown == total else [],
        "summary_areas": [a for a in minutes_data.summary_areas(obj) if can_area(grants, a, Action.VIEW)],
    }
    return render(request, "results/contest_result.html", context)


@login_required
def flag_resolve(request: HttpRequest, slug: str, flag_id: int) -> HttpResponse:
    """A flag with its reason and reference; a committee member above it resolves it with a note."""
    election = access_election(request.user, slug)
    flag = (
        Flag.objects.filter(election=election, pk=flag_id)
        .select_related("polling_unit__area", "constituency__area", "tally__contest", "resolved_by")
        .first()
    )
    grants = grants_for(request.user, election)
    if flag is None or not permissions.can_view_flag(grants, flag):
        raise Http404("No such flag")
    may_resolve = permissions.can_resolve_flag(grants, flag)
    back = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    if request.method == "POST":
        if not may_resolve:
            raise PermissionDenied("Only an election committee above the flag resolves it.")
        try:
            screening.flag_resolve(
                flag=flag, note=request.POST.get("note", ""), by=request.user, source=request_source(request)
            )
        except screening.FlagRefused as exc:
            show_refusal(request, exc)
        else:
            messages.success(request, _("Flag resolved."))
            if back:
                return redirect(back)
        return redirect("results:flag-resolve", slug, flag.pk)
    context = {"election": election, "flag": flag, "may_resolve": may_resolve, "next": back}
    return render(request, "results/flag_resolve.html", context)


def _with_publication(constituencies: QuerySet[Constituency]) -> QuerySet[Constituency]:
    """The current round's status, and whether it is published or proposed, for filtering."""
    current = ConstituencyResult.objects.filter(constituency=OuterRef("pk"), round=OuterRef("current_round"))
    pending = PublicationProposal.objects.filter(
        constituency=OuterRef("pk"), round=OuterRef("current_round"), status=PublicationProposal.Status.PENDING
    )
    return constituencies.annotate(
        result_status=Coalesce(Subquery(current.values("status")[:1]), Value(rounds.INCOMPLETE)),
        is_published=Exists(current.filter(published=True)),
        is_proposed=Exists(pending),
    )
