"""Pages of the official minutes: each minute with its versions and the issue form, the PDFs, an area's
minutes with the background ZIP (the public verification page is public/verify.py).

Access (pages answer 404 for what is not the person's, like the rest of the site):
- counting minutes: seen by whoever sees the tally; issued by its reviewers (the constituency's board,
  a committee above the unit);
- constituency minutes: seen by whoever sees the constituency; issued by its board or a committee above;
- summary minutes and an area's ZIP: seen by whoever sees the area (its committees, auditors, staff);
  issued by a committee of the area or above;
"""

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from core.http import request_source, show_refusal
from elections.models import Area, Contest, Level
from elections.permissions import Action, access_area, access_constituency, can_area, can_constituency, grants_for
from office.minutes.forms import IssueForm, MemberFormSet, initial_of, members_of_formset, with_one_more_row
from results import permissions
from results.minutes import data as md
from results.minutes import jobs as minutes_jobs
from results.minutes import services as svc
from results.minutes.serving import (
    counting_pdf_of,
    language,
    round_param,
    serve,
)
from results.models import Minute, MinutesJob
from results.permissions import TallyScope, access_tally, can_tally

# --- one minute: its page, its PDF ---------------------------------------------------------------------


def _tally_scope(request: HttpRequest, slug: str, unit: str, contest: str) -> TallyScope:
    try:
        return access_tally(request.user, slug, unit, contest, need=Action.VIEW)
    except PermissionDenied:
        raise Http404("No such polling unit or contest") from None


def _versions(election: Any, kind: str, key: str | None) -> list[dict[str, Any]]:
    if key is None:
        return []
    rows = svc.versions(election, kind, key)
    out = []
    for i, m in enumerate(rows):
        out.append(
            {"minute": m, "currency": svc.currency(m) if i == 0 else None, "replaced_by": rows[i - 1] if i else None}
        )
    return out


def _page(
    request: HttpRequest,
    *,
    election: Any,
    kind: str,
    title: str,
    heading: str,
    build: Callable[[], svc.Document],
    can_issue: bool,
    pdf_url: str,
    back: tuple[str, str],
    witnesses: bool = False,
    na_summary: bool = False,
) -> HttpResponse:
    """The page of one minute: what it needs, its versions, the PDFs and, for those who may, the issue form."""
    try:
        document: svc.Document | None = build()
        unavailable = ""
    except md.MinutesUnavailable as exc:
        document, unavailable = None, exc.message
    key = document.key if document else None
    versions = _versions(election, kind, key)
    form = formset = None
    if can_issue and document is not None:
        defaults = svc.default_inputs(document)
        if request.method == "POST" and "add_member" in request.POST:
            form = IssueForm(request.POST)
            formset = MemberFormSet(with_one_more_row(request.POST), prefix="m")
        elif request.method == "POST":
            form = IssueForm(request.POST)
            formset = MemberFormSet(request.POST, prefix="m")
            if form.is_valid() and formset.is_valid():
                try:
                    minute = svc.minutes_issue(
                        document=document,
                        inputs=form.inputs(members_of_formset(formset)),
                        by=request.user,
                        base_url=request.build_absolute_uri("/"),
                        source=request_source(request),
                    )
                except svc.MinutesConflict as exc:
                    show_refusal(request, exc)
                else:
                    messages.success(request, _("Version %(n)s of the minutes is issued.") % {"n": minute.version})
                    return redirect(request.get_full_path())
        else:
            form = IssueForm(initial=initial_of(defaults))
            formset = MemberFormSet(initial=defaults["members"], prefix="m")
    elif request.method == "POST":
        raise PermissionDenied("You may not issue these minutes.")
    context = {
        "election": election,
        "kind": kind,
        "title": title,
        "heading": heading,
        "document": document,
        "unavailable": unavailable,
        "versions": versions,
        "form": form,
        "formset": formset,
        "witnesses": witnesses,
        "na_summary": na_summary,
        "pdf_url": pdf_url,
        "back_url": back[0],
        "back_label": back[1],
        "round": request.GET.get("round", ""),
    }
    return render(request, "results/minutes.html", context)


@login_required
def counting_page(request: HttpRequest, slug: str, unit: str, contest: str) -> HttpResponse:
    scope = _tally_scope(request, slug, unit, contest)
    grants = grants_for(request.user, scope.election)
    number = round_param(request)
    return _page(
        request,
        election=scope.election,
        kind=Minute.Kind.COUNTING,
        title=_("Counting minutes"),
        heading=f"{scope.unit.name} ({scope.unit.code}) · {scope.contest.name}",
        build=lambda: svc.counting_document(scope, number),
        can_issue=can_tally(grants, scope, Action.REVIEW),
        pdf_url=reverse("results:minutes-counting-pdf", args=[slug, unit, contest]),
        back=(reverse("results:tally-review", args=[slug, unit, contest]), _("The tally")),
        witnesses=True,
    )


@require_safe
@login_required
def counting_pdf(request: HttpRequest, slug: str, unit: str, contest: str) -> HttpResponse:
    return counting_pdf_of(request, _tally_scope(request, slug, unit, contest))


@login_required
def constituency_page(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    grants = grants_for(request.user, constituency.election)
    number = round_param(request)
    return _page(
        request,
        election=constituency.election,
        kind=Minute.Kind.CONSTITUENCY,
        title=_("Constituency result minutes"),
        heading=f"{constituency.name} ({constituency.code}) · {constituency.contest.name}",
        build=lambda: svc.constituency_document(constituency, number),
        can_issue=can_constituency(grants, constituency, Action.REVIEW),
        pdf_url=reverse("results:minutes-constituency-pdf", args=[slug, code]),
        back=(reverse("results:constituency-result", args=[slug, code]), _("The result")),
    )


@require_safe
@login_required
def constituency_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    constituency = access_constituency(request.user, slug, code, need=Action.VIEW)
    number = round_param(request) or constituency.current_round
    return serve(
        request,
        election=constituency.election,
        kind=Minute.Kind.CONSTITUENCY,
        key=md.constituency_key(constituency, number),
        build=lambda: svc.constituency_document(constituency, number),
        may_draft=True,
    )


def _summary_scope(request: HttpRequest, slug: str, area: str, contest: str) -> tuple[Area, Contest]:
    obj = access_area(request.user, slug, area, need=Action.VIEW)
    found = Contest.objects.filter(election=obj.election, code=contest).select_related("election").first()
    if found is None or not md.summary_constituencies(found, obj):
        raise Http404("No such contest in this area")
    return obj, found


@login_required
def summary_page(request: HttpRequest, slug: str, area: str, contest: str) -> HttpResponse:
    obj, found = _summary_scope(request, slug, area, contest)
    grants = grants_for(request.user, obj.election)
    return _page(
        request,
        election=obj.election,
        kind=Minute.Kind.SUMMARY,
        title=_("Summary minutes"),
        heading=f"{found.name} · {obj.name}",
        build=lambda: svc.summary_document(found, obj),
        can_issue=can_area(grants, obj, Action.MANAGE),
        pdf_url=reverse("results:minutes-summary-pdf", args=[slug, area, contest]),
        back=(reverse("results:minutes-area", args=[slug, area]), _("Minutes of the area")),
        na_summary=found.level == Level.NATIONAL_ASSEMBLY,  # Art. 83(2)(i), (m)
    )


@require_safe
@login_required
def summary_pdf(request: HttpRequest, slug: str, area: str, contest: str) -> HttpResponse:
    obj, found = _summary_scope(request, slug, area, contest)
    return serve(
        request,
        election=obj.election,
        kind=Minute.Kind.SUMMARY,
        key=md.summary_key(found, obj),
        build=lambda: svc.summary_document(found, obj),
        may_draft=True,
    )


# --- an area: its summaries and the ZIP of every minute ------------------------------------------------


@login_required
def area_minutes(request: HttpRequest, slug: str, area: str) -> HttpResponse:
    obj = access_area(request.user, slug, area, need=Action.VIEW)
    may_build = permissions.can_build_minutes_zip(grants_for(request.user, obj.election), obj)
    if request.method == "POST":
        if not may_build:
            raise PermissionDenied("Only a committee of the area starts its ZIP.")
        try:
            job, created = minutes_jobs.job_create(
                election=obj.election,
                area=obj,
                language=request.POST.get("lang") or language(request),
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                source=request_source(request),
            )
        except minutes_jobs.TooManyMinutesJobs as exc:
            show_refusal(request, exc)
            return redirect("results:minutes-area", slug, area)
        if not created:
            messages.info(request, _("This ZIP is already being made: its progress is shown below."))
        return redirect(f"{reverse('results:minutes-area', args=[slug, area])}?job={job.pk}")
    contests = []
    for contest in Contest.objects.filter(election=obj.election).order_by("position", "code"):
        areas = [a for a in md.summary_areas(contest) if a.path.startswith(obj.path)]
        if areas:
            contests.append((contest, [(a, md.summary_state(contest, a)) for a in areas]))
    job_id = request.GET.get("job", "")
    job = (
        MinutesJob.objects.filter(pk=int(job_id), area=obj).first()
        if job_id.isdigit() and len(job_id) < 12
        else MinutesJob.objects.filter(area=obj, requested_by=request.user).order_by("-created_at").first()
    )
    issued = (
        Minute.objects.filter(election=obj.election)
        .filter(
            Q(area__path__startswith=obj.path)
            | Q(constituency__area__path__startswith=obj.path, kind=Minute.Kind.CONSTITUENCY)
            | Q(tally__polling_unit__area__path__startswith=obj.path)
        )
        .count()
    )
    context = {
        "election": obj.election,
        "area": obj,
        "contests": contests,
        "job": job,
        "issued": issued,
        "may_build": may_build,
    }
    return render(request, "results/minutes_area.html", context)


def _job(request: HttpRequest, slug: str, job_id: int) -> MinutesJob:
    job = MinutesJob.objects.filter(pk=job_id, election__slug=slug).select_related("area", "election").first()
    if job is None or not can_area(grants_for(request.user, job.election), job.area, Action.VIEW):
        raise Http404("No such job")
    return job


@require_safe
@login_required
def job_status(request: HttpRequest, slug: str, job_id: int) -> JsonResponse:
    job = _job(request, slug, job_id)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "done": job.done,
            "total": job.total,
            "files": job.files,
            "not_counted": job.not_counted,
            "percent": job.percent,
            "error": job.error,
            "download": reverse("results:minutes-job-zip", args=[slug, job.pk]) if job.status == "done" else None,
        }
    )


@require_safe
@login_required
def job_zip(request: HttpRequest, slug: str, job_id: int) -> FileResponse:
    job = _job(request, slug, job_id)
    if job.status != MinutesJob.Status.DONE or not job.file:
        raise Http404("The ZIP is not ready")
    return FileResponse(job.file.open("rb"), as_attachment=True, filename=job.file.name.rsplit("/", 1)[-1])


@require_POST
@login_required
def job_retry(request: HttpRequest, slug: str, job_id: int) -> HttpResponse:
    job = _job(request, slug, job_id)
    if not permissions.can_build_minutes_zip(grants_for(request.user, job.election), job.area):
        raise PermissionDenied("Only a committee of the area starts its ZIP.")
    minutes_jobs.job_start(job.pk)
    return redirect(f"{reverse('results:minutes-area', args=[slug, job.area.code])}?job={job.pk}")


# --- public verification -------------------------------------------------------------------------------------
