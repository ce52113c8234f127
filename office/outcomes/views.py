"""Committee pages of results: a constituency's result, a contest's overview, opening a round, resolving a flag.

Each view: access check, one selector or service call, render.
"""

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from core.http import request_source, show_refusal
from elections.models import Constituency
from elections.permissions import Action, access_constituency, access_election, can_area, grants_for
from elections.selectors import constituencies_visible
from office.tallies.filters import ContestConstituencyFilter
from office.tallies.tables import ContestConstituencyTable
from results import permissions
from results.decisions import further_rounds
from results.flags import screening
from results.minutes import data as minutes_data
from results.models import ConstituencyResult, Flag, PublicationProposal
from results.outcomes import charts, contests, rounds
from results.outcomes import constituency as outcomes
from results.outcomes import wording as explain
from results.publication import services as publication
from results.rules import winners as rules


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
            (rr, [explain.explain(r, names) for r in rr.reasons if r.code.startswith(("turnout", "seats", "tie"))])
            for rr in outcome.earlier
        ],
        "margin_summary": explain.margin_summary(outcome.margin),
        "margin_reasons": [explain.explain(r, names, unit_codes) for r in outcome.margin.reasons]
        if outcome.margin
        else [],
        "chart": chart,
        "can_decide": permissions.can_decide_round(grants, constituency),
        "can_resolve": permissions.can_resolve_any(grants),
        "today": today,
        "days_left": (deadline - today).days if deadline else None,
        "default_day": min(deadline, max(today, constituency.election.election_day + dt.timedelta(days=7)))
        if deadline
        else today,
        "round_kinds": {rules.RE_ELECTION: _("re-election"), rules.ADDITIONAL: _("additional election")},
        "publication": publication.publication_state(constituency),
        "can_publish": permissions.can_publish(grants, constituency),
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


@require_POST
@login_required
def round_open(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The election committee opens the re-election or the additional election the result calls for."""
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    if not permissions.can_decide_round(grants_for(request.user, constituency.election), constituency):
        raise PermissionDenied("Only the election committee above the constituency opens a further round.")
    try:
        voting_day = dt.date.fromisoformat(request.POST.get("voting_day", ""))
    except ValueError:
        messages.error(request, _("Enter the voting day of the round as a date."))
        return redirect("results:constituency-result", slug, code)
    try:
        row = further_rounds.round_open(
            constituency=constituency,
            kind=request.POST.get("kind", ""),
            voting_day=voting_day,
            reason=request.POST.get("reason", "")[:2000],
            by=request.user,
            source=request_source(request),
        )
    except further_rounds.RoundRefused as exc:
        show_refusal(request, exc)
        return redirect("results:constituency-result", slug, code)
    messages.success(request, _("Round 2 is open; the polling units now enter its counting minutes."))
    if row.voting_day > row.deadline:
        messages.warning(request, _("The voting day is after the deadline set by law."))
    return redirect("results:constituency-result", slug, code)


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
