"""Pages of election day: the reviewers' queue and tally page, the flags (the clerk's entry is entry.py)."""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from core.http import request_source, show_refusal
from elections import audit_codes
from elections.permissions import Action, access_election, grants_for
from office.tallies import double
from office.tallies.filters import FlagFilter, ReviewFilter
from office.tallies.forms import FIELD_LABELS, TallyForm
from office.tallies.tables import FlagTable, ReviewTable
from results.models import FIGURES, Tally
from results.permissions import TallyScope, access_tally, can_open_review_queue, can_tally, tally_action_need
from results.publication.services import current_publication
from results.tallies import corrections, double_entry, errors, records, selectors, services


def _entry_url(scope: TallyScope) -> str:
    return reverse("results:tally-entry", args=[scope.election.slug, scope.unit.code, scope.contest.code])


def _review_url(scope: TallyScope) -> str:
    return reverse("results:tally-review", args=[scope.election.slug, scope.unit.code, scope.contest.code])


def _initial(scope: TallyScope, tally: Tally | None) -> dict[str, Any]:
    if tally is None or tally.status == Tally.Status.ANNULLED:
        loaded = records.loaded_list_count(scope)
        return {"voters_on_list": loaded if loaded is not None else scope.unit.registered_voters}
    content = records.tally_figures(tally)
    initial: dict[str, Any] = {name: content[name] for name in FIGURES}
    for c in records.ballot_of(scope, tally)[1]:
        initial[f"votes_{c.pk}"] = content["votes"].get(c.code)
    initial["complaints"], initial["version"] = tally.complaints, tally.version
    return initial


@require_safe
@login_required
def tally_review(request: HttpRequest, slug: str, unit: str, contest: str) -> HttpResponse:
    """A tally beside its flags and history, with the reviewer's and the committee's actions."""
    scope = access_tally(request.user, slug, unit, contest, need=Action.VIEW)
    grants = grants_for(request.user, scope.election)
    tally = records.current_tally(scope)
    standing = double_entry.standing(scope, tally, request.user)
    content = records.tally_figures(tally) if tally and not standing.blind else None
    round_, candidates = records.ballot_of(scope, tally)
    correction = selectors.pending_correction(tally) if tally else None
    context = {
        "double": standing,
        "entry_role": standing.role if standing.on and can_tally(grants, scope, Action.ENTER) else 0,
        "differences": double.difference_rows(TallyForm(candidates=candidates), standing),
        "scope": scope,
        "round": round_,
        "election": scope.election,
        "tally": tally,
        "figures": [(FIELD_LABELS[name], content[name]) for name in FIGURES] if content else [],
        "votes": [(c, content["votes"].get(c.code)) for c in candidates] if content else [],
        "flags": selectors.open_flags(tally) if content else [],
        "history": _labelled(selectors.tally_history(tally)) if content else [],
        "versions": tally.versions.select_related("saved_by").order_by("-version") if content else [],
        "correction": correction,
        "correction_rows": _correction_rows(content, correction.figures, candidates) if content and correction else [],
        "can_review": can_tally(grants, scope, Action.REVIEW),
        "can_manage": can_tally(grants, scope, Action.MANAGE),
        "can_open_queue": can_open_review_queue(grants),  # a clerk's way back is the unit's page
        "correction_form": TallyForm(candidates=candidates, initial=_initial(scope, tally)) if content else None,
    }
    return render(request, "results/tally_review.html", context)


def _labelled(entries: Any) -> list[Any]:
    rows = list(entries)
    for e in rows:
        e.label = audit_codes.label(e.action)
    return rows


def _correction_rows(
    current: dict[str, Any], proposed: dict[str, Any], candidates: list[Any]
) -> list[tuple[str, Any, Any, bool]]:
    """(line, figure now, figure proposed, changed) for every line of the minutes, candidates in ballot order."""
    rows = [
        (str(FIELD_LABELS[name]), current.get(name), proposed.get(name), current.get(name) != proposed.get(name))
        for name in FIGURES
    ]
    now_votes, new_votes = current.get("votes", {}), proposed.get("votes", {})
    for c in candidates:
        before, after = now_votes.get(c.code), new_votes.get(c.code)
        rows.append((f"{c.ballot_order}. {c.full_name}", before, after, before != after))
    if (current.get("complaints") or "") != (proposed.get("complaints") or ""):
        rows.append(
            (str(_("Complaints and denunciations")), current.get("complaints"), proposed.get("complaints"), True)
        )
    return rows


def _published(scope: TallyScope) -> bool:
    return current_publication(scope.constituency) is not None


@require_POST
@login_required
def tally_action(request: HttpRequest, slug: str, unit: str, contest: str, action: str) -> HttpResponse:
    """Return, approve, annul, and propose or decide a correction; each needs its role."""
    scope = access_tally(request.user, slug, unit, contest, need=tally_action_need(action))
    by, source, reason = request.user, request_source(request), request.POST.get("reason", "")
    version = request.POST.get("version")
    version_int = int(version) if version and version.isdigit() else None
    try:
        if action == "return":
            services.tally_return(scope=scope, reason=reason, by=by, version=version_int, source=source)
            messages.success(request, _("Returned to the polling unit with your reason."))
        elif action == "approve":
            services.tally_approve(scope=scope, by=by, version=version_int, source=source)
            messages.success(request, _("Approved."))
        elif action == "annul":
            if request.POST.get("confirm") != "yes":
                # Annulment cannot be undone and reaches the public at once: show what it does, then ask again.
                if not reason.strip():
                    messages.error(request, _("Give the serious violation that annuls this unit's result."))
                    return redirect(_review_url(scope))
                context = {"scope": scope, "election": scope.election, "reason": reason, "published": _published(scope)}
                return render(request, "results/annul_confirm.html", context)
            services.tally_annul(scope=scope, reason=reason, by=by, source=source)
            messages.success(request, _("The unit's result is annulled; the unit votes again."))
        elif action == "correct":
            candidates = records.ballot_of(scope, records.current_tally(scope))[1]
            form = TallyForm(request.POST, candidates=candidates)
            if not form.is_valid():
                messages.error(request, _("The corrected figures are incomplete."))
                return redirect(_review_url(scope))
            corrections.correction_propose(
                scope=scope, payload=form.payload(), reason=reason, by=by, version=version_int, source=source
            )
            messages.success(request, _("Correction proposed; another committee member must approve it."))
        elif action in ("correction-apply", "correction-reject"):
            correction_id = request.POST.get("correction", "")
            corrections.correction_decide(
                scope=scope,
                correction_id=int(correction_id) if correction_id.isdigit() else 0,
                approve=action == "correction-apply",
                by=by,
                note=request.POST.get("note", ""),
                source=source,
            )
            messages.success(request, _("Correction decided."))
        else:
            raise PermissionDenied("Unknown action")
    except errors.SeparationOfDuties as exc:
        show_refusal(request, exc)
    except errors.TallyError as exc:
        show_refusal(request, exc, {**FIELD_LABELS, "reason": _("Reason")})
    return redirect(_review_url(scope))


@require_safe
@login_required
def review_queue(request: HttpRequest, slug: str) -> HttpResponse:
    election = access_election(request.user, slug)
    grants = grants_for(request.user, election)
    if not can_open_review_queue(grants):
        raise PermissionDenied("The review queue is for boards, committees and auditors.")
    queue = selectors.review_queue(election, grants)
    counts = selectors.queue_counts(queue)
    filterset = ReviewFilter(request.GET or None, queryset=queue, election=election)
    table = ReviewTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    context = {"election": election, "filter": filterset, "table": table, "counts": counts}
    return render(request, "results/review_queue.html", context)


@require_safe
@login_required
def flag_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Every flag the person may see, with filters: open or resolved, severity, kind, constituency, unit."""
    election = access_election(request.user, slug)
    grants = grants_for(request.user, election)
    flags = selectors.flags_visible(election, grants)
    codes = sorted(set(flags.order_by().values_list("code", flat=True)))
    data = request.GET.copy() if request.GET else None
    filterset = FlagFilter(data, queryset=flags, codes=codes)
    table = FlagTable(filterset.qs.select_related("election"))
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    counts = {row["status"]: row["n"] for row in flags.order_by().values("status").annotate(n=Count("pk"))}
    context = {"election": election, "filter": filterset, "table": table, "counts": counts}
    return render(request, "results/flag_list.html", context)
