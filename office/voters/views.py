"""Pages of voter lists. Each view: access check, one service or selector, render.

Voters are addressed by their unit and number on the list, never by national ID or date of birth, so
neither ever appears in a URL.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe
from django_tables2 import RequestConfig

from core.spreadsheets import csv_bytes
from elections.models import PollingUnit
from elections.permissions import (
    Action,
    access_area,
    access_polling_unit,
    grants_for,
)
from office.voters.filters import VoterFilter
from office.voters.forms import (
    AnswerForm,
    CertificateAcceptForm,
    CheckInForm,
    ComplaintForm,
    PostForm,
    RemoveForm,
    SettleForm,
    UploadForm,
    VersionForm,
    VoterAddForm,
)
from office.voters.tables import VoterTable
from voters import errors, selectors, services
from voters.importing import pipeline, uploads
from voters.models import UNIT_SPAN, Complaint, Voter, VoterListRendering, voter_pk
from voters.permissions import access_double_listing, access_voter_import, can_voter_list
from voters.printing import voter_list_file, voter_list_rendering

PAGE_SIZE = 100
SEARCH_LIMIT = 20
DOUBLE_LISTINGS_SHOWN = 200  # cases on the page at once; deciding them brings the next


def _voter(unit: PollingUnit, number: int) -> Voter:
    if not 1 <= number < UNIT_SPAN:
        raise Http404("No such voter")
    return get_object_or_404(Voter.objects.select_related("polling_unit", "election"), pk=voter_pk(unit.pk, number))


def _unit_context(request: HttpRequest, unit: PollingUnit, **extra: object) -> dict[str, object]:
    return {
        "election": unit.election,
        "unit": unit,
        "voter_list": selectors.voter_list_of_unit(unit),
        "may_manage": can_voter_list(request.user, unit, Action.MANAGE),
        "may_enter": can_voter_list(request.user, unit, Action.ENTER),
        "closes_at": services.changes_close_at(unit.election),
        **extra,
    }


# --- the list of a unit ------------------------------------------------------------------------------


@require_safe
@login_required
def unit_list(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.VIEW)
    voters = VoterFilter(
        request.GET or None, queryset=selectors.voters_of_unit(unit).select_related("election", "polling_unit")
    )
    table = VoterTable(voters.qs, held=selectors.held_shown(request.user, unit))
    RequestConfig(request, paginate={"per_page": PAGE_SIZE}).configure(table)
    context = _unit_context(request, unit, table=table, filter=voters, summary=selectors.unit_summary(unit))
    context["post_form"] = PostForm()
    return render(request, "voters/unit_list.html", context)


# Where each step of WeasyPrint starts, in percent of the whole rendering, as measured on the demo's largest list
# (1,949 rows, 48 pages): preparing the document (steps 1-4) takes about 40 %, laying out the pages (step 5)
# about 47 %, writing the file (steps 6-7) the rest.
_STEP_STARTS = {0: 0, 1: 2, 2: 10, 3: 11, 4: 31, 5: 41, 6: 88, 7: 95}


def _rendering_progress(rendering: VoterListRendering) -> tuple[int, str]:
    """A rendering's progress for the reader: a percentage and a sentence."""
    step, done, total, status = rendering.step, rendering.pages_done, rendering.pages_total, rendering.status
    if status == VoterListRendering.Status.DONE:
        return 100, ngettext(
            "The printable list is ready: %(n)d page.", "The printable list is ready: %(n)d pages.", done
        ) % {"n": done}
    if status == VoterListRendering.Status.FAILED:
        return 0, _("The printable list could not be made. Try again; if it fails again, tell the administrator.")
    if status == VoterListRendering.Status.QUEUED:
        return 0, _("Waiting to start…")
    percent = _STEP_STARTS.get(step, 95)
    if step < 5:
        return percent, _("Preparing the document…")
    if step == 5:
        share = (_STEP_STARTS[6] - _STEP_STARTS[5]) * done // max(total, 1)
        return percent + share, _("Laying out page %(page)d of about %(total)d…") % {"page": done + 1, "total": total}
    return percent, ngettext(
        "All %(n)d page is laid out; writing the PDF file…",
        "All %(n)d pages are laid out; writing the PDF file…",
        total,
    ) % {"n": total}


@never_cache
@require_safe
@login_required
def unit_pdf(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The printable list: the kept PDF at once while the list is unchanged; otherwise a page that starts the
    rendering in the background and shows its progress (`?format=json` for the page's script, `?retry=1` after
    a failure), then offers the PDF. Never renders in the request."""
    unit = access_polling_unit(request.user, slug, code, need=Action.VIEW)
    rendering = voter_list_rendering(unit, retry=request.GET.get("retry") == "1")
    pdf_url = reverse("voters:unit-pdf", args=[slug, code])
    percent, message = _rendering_progress(rendering)
    if request.GET.get("format") == "json":
        done = rendering.status == VoterListRendering.Status.DONE
        return JsonResponse(
            {
                "status": rendering.status,
                "step": rendering.step,
                "pages_done": rendering.pages_done,
                "pages_total": rendering.pages_total,
                "percent": percent,
                "message": message,
                "download": pdf_url if done else None,
            }
        )
    pdf = voter_list_file(rendering)
    if pdf is not None:
        return FileResponse(pdf, content_type="application/pdf", filename=f"danh-sach-cu-tri-{unit.code}.pdf")
    if rendering.status == VoterListRendering.Status.DONE:  # its file is gone: it is being rendered again
        rendering.status = VoterListRendering.Status.QUEUED
        percent, message = _rendering_progress(rendering)
    context = _unit_context(request, unit, rendering=rendering, percent=percent, message=message, pdf_url=pdf_url)
    return render(request, "voters/unit_print.html", context)


@require_POST
@login_required
def unit_post(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    form = PostForm(request.POST)
    if form.is_valid():
        try:
            services.voter_list_post(unit=unit, posted_on=form.cleaned_data["posted_on"], by=request.user)
            messages.success(request, _("The list is recorded as posted."))
        except errors.VoterListError as exc:
            messages.error(request, str(exc))
    else:
        messages.error(request, _("Enter the date the list was posted."))
    return redirect("voters:unit-list", slug, code)


# --- changes -----------------------------------------------------------------------------------------


@login_required
def voter_add(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    form = VoterAddForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = services.NewVoter(
            national_id=data["national_id"],
            full_name=data["full_name"],
            date_of_birth=data["date_of_birth"],
            gender=data["gender"],
            residence=data["residence"],
            category=data["category"],
            household=data["household"],
            household_head=data["household_head"],
        )
        try:
            voter = services.voter_add(unit=unit, person=person, note=data["note"], by=request.user)
        except errors.VoterListError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Added as number %(n)d.") % {"n": voter.list_number})
            return redirect("voters:voter-detail", slug, code, voter.list_number)
    status = 400 if request.method == "POST" else 200
    return render(request, "voters/voter_add.html", _unit_context(request, unit, form=form, error=error), status=status)


@require_safe
@login_required
def voter_detail(request: HttpRequest, slug: str, code: str, number: int) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.VIEW)
    voter = _voter(unit, number)
    context = _unit_context(
        request,
        unit,
        voter=voter,
        remove_form=RemoveForm(initial={"version": voter.version}),
        version_form=VersionForm(initial={"version": voter.version}),
        certificate=getattr(voter, "certificate_out", None),
        ballots=selectors.contests_voted(voter, selectors.contests_of_unit(unit)),
        # only for who may see both lists; to anyone else a held row reads as listed (Art. 29, DoubleListing)
        double_listing=selectors.held_shown(request.user, unit).get(voter.pk) if voter.held else None,
    )
    return render(request, "voters/voter_detail.html", context)


def _stale_or_error(request: HttpRequest, exc: errors.VoterListError) -> None:
    messages.error(request, str(exc))


@require_POST
@login_required
def voter_remove(request: HttpRequest, slug: str, code: str, number: int) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    voter = _voter(unit, number)
    form = RemoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a reason for the removal."))
        return redirect("voters:voter-detail", slug, code, number)
    try:
        services.voter_remove(
            voter=voter,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
        messages.success(request, _("Removed from the list."))
    except errors.VoterListError as exc:
        _stale_or_error(request, exc)
    return redirect("voters:voter-detail", slug, code, number)


@require_POST
@login_required
def voter_certificate(request: HttpRequest, slug: str, code: str, number: int) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    voter = _voter(unit, number)
    form = VersionForm(request.POST)
    if not form.is_valid():
        raise Http404("bad form")
    try:
        certificate = services.certificate_issue(voter=voter, version=form.cleaned_data["version"], by=request.user)
        messages.success(
            request,
            _("Certificate %(number)s issued; the voter is struck from this list.") % {"number": certificate.number},
        )
    except errors.VoterListError as exc:
        _stale_or_error(request, exc)
    return redirect("voters:voter-detail", slug, code, number)


@login_required
def certificate_accept(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    form = CertificateAcceptForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            voter = services.certificate_accept(
                unit=unit,
                number=form.cleaned_data["number"],
                national_id=form.cleaned_data["national_id"],
                note=form.cleaned_data["note"],
                by=request.user,
            )
        except errors.VoterListError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Added on the certificate as number %(n)d.") % {"n": voter.list_number})
            return redirect("voters:voter-detail", slug, code, voter.list_number)
    context = _unit_context(request, unit, form=form, error=error)
    return render(request, "voters/certificate_accept.html", context, status=400 if request.method == "POST" else 200)


@login_required
def complaints(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    form = ComplaintForm(request.POST or None)
    error = ""
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        voter = None
        if data["list_number"]:
            voter = Voter.objects.of_unit(unit).filter(list_number=data["list_number"]).first()
        if data["list_number"] and voter is None:
            error = _("There is no number %(n)d on this list.") % {"n": data["list_number"]}
        else:
            try:
                services.complaint_receive(
                    unit=unit,
                    kind=data["kind"],
                    complainant=data["complainant"],
                    text=data["text"],
                    voter=voter,
                    received_on=data["received_on"],
                    by=request.user,
                )
            except errors.VoterListError as exc:
                error = str(exc)
            else:
                messages.success(request, _("Complaint received."))
                return redirect("voters:complaints", slug, code)
    rows = [(c, AnswerForm(initial={"version": c.version})) for c in selectors.complaints_of_unit(unit)]
    context = _unit_context(request, unit, form=form, error=error, complaints=rows)
    return render(request, "voters/complaints.html", context, status=400 if request.method == "POST" else 200)


@require_POST
@login_required
def complaint_answer(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.MANAGE)
    complaint = get_object_or_404(Complaint, pk=pk, polling_unit=unit)
    form = AnswerForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a decision and write the answer."))
        return redirect("voters:complaints", slug, code)
    try:
        services.complaint_answer(
            complaint=complaint,
            upheld=form.cleaned_data["decision"] == "upheld",
            answer=form.cleaned_data["answer"],
            version=form.cleaned_data["version"],
            by=request.user,
        )
        messages.success(request, _("Answer recorded."))
    except errors.VoterListError as exc:
        messages.error(request, str(exc))
    return redirect("voters:complaints", slug, code)


# --- people listed twice (Art. 29) ------------------------------------------------------------------------


@require_safe
@login_required
def double_listings(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    """The people put on a second list while on another, both in this area: its committee decides each."""
    area = access_area(request.user, slug, code, need=Action.MANAGE)
    listed_twice = selectors.double_listings_of_area(area)[:DOUBLE_LISTINGS_SHOWN]
    cases = [(case, SettleForm(prefix=f"c{case.pk}")) for case in listed_twice]
    context = {"election": area.election, "area": area, "cases": cases, "shown": DOUBLE_LISTINGS_SHOWN}
    return render(request, "voters/double_listings.html", context)


@require_POST
@login_required
def double_listing_settle(request: HttpRequest, slug: str, code: str, pk: int) -> HttpResponse:
    area = access_area(request.user, slug, code, need=Action.MANAGE)
    case = access_double_listing(request.user, slug, pk)
    form = SettleForm(request.POST, prefix=f"c{case.pk}")
    if not form.is_valid():
        messages.error(request, _("Choose a decision."))
        return redirect("voters:double-listings", slug, area.code)
    try:
        services.double_listing_settle(
            case=case, decision=form.cleaned_data["decision"], note=form.cleaned_data["note"], by=request.user
        )
        messages.success(request, _("Decision recorded."))
    except errors.VoterListError as exc:
        messages.error(request, str(exc))
    return redirect("voters:double-listings", slug, area.code)


# --- check-in ----------------------------------------------------------------------------------------


@login_required
def check_in(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    unit = access_polling_unit(request.user, slug, code, need=Action.ENTER)
    query = (request.POST.get("q") or request.GET.get("q") or "")[:100]
    done = refused = None
    error = ""
    status = 200
    if request.method == "POST":
        form = CheckInForm(request.POST)
        if form.is_valid():
            try:
                done = services.voter_check_in(unit=unit, voter_id=form.cleaned_data["voter"], by=request.user)
            except errors.AlreadyVoted as exc:
                refused, status = exc.voter, 409
            except errors.VoterListError as exc:
                error, status = str(exc), 409
        else:
            error, status = _("Choose a voter from the list."), 400
    results = list(selectors.voters_of_unit(unit, query=query)[: SEARCH_LIMIT + 1]) if query else []
    context = _unit_context(
        request,
        unit,
        query=query,
        results=results[:SEARCH_LIMIT],
        more=len(results) > SEARCH_LIMIT,  # say so: the one sought may be further down
        shown=SEARCH_LIMIT,
        done=done,
        # Art. 29(3)-(5): the ballots the voter just checked in receives, which may not be all of the unit's
        ballots=selectors.contests_voted(done, selectors.contests_of_unit(unit)) if done else [],
        refused=refused,
        error=error,
        voted=selectors.checked_in_count(unit),
        listed=selectors.registered_voters(unit),
    )
    return render(request, "voters/check_in.html", context, status=status)


# --- import ------------------------------------------------------------------------------------------


@login_required
def import_upload(request: HttpRequest, slug: str, code: str) -> HttpResponse:
    area = access_area(request.user, slug, code, need=Action.MANAGE)
    form = UploadForm(request.POST or None, request.FILES or None)
    error = ""
    status = 200
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        digest = pipeline.file_digest_of_upload(upload)
        upload.seek(0)
        result = uploads.voter_list_upload(
            area=area,
            source=upload.file,
            file_name=upload.name,
            size=upload.size,
            sha256=digest,
            skip_invalid=form.cleaned_data["skip_invalid"],
            by=request.user,
        )
        if result.error:
            error, status = result.error, result.status
        elif result.batch is not None:
            return redirect("voters:import-report", slug, result.batch.pk)
        else:
            unchanged = result.report.unchanged if result.report else 0
            messages.success(request, _("No changes: all %(n)d rows are already on the lists.") % {"n": unchanged})
            return redirect("voters:import", slug, code)
    grants = grants_for(request.user, area.election)
    recent = selectors.imports_of_election(
        area.election, area_paths=None if grants.superuser else grants.committee_paths
    )[:20]
    context = {
        "election": area.election,
        "area": area,
        "form": form,
        "error": error,
        "recent": recent,
        "double_listings": selectors.double_listings_of_area(area).count(),
    }
    return render(request, "voters/import_upload.html", context, status=status)


@require_safe
@login_required
def import_report(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    batch = access_voter_import(request.user, slug, pk)
    page = Paginator(batch.refusals, 200).get_page(request.GET.get("page"))
    context = {"election": batch.election, "batch": batch, "page": page}
    return render(request, "voters/import_report.html", context)


@require_safe
@login_required
def import_refused_csv(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    batch = access_voter_import(request.user, slug, pk)
    # The reasons quote the file's own cells, which may hold a formula: csv_bytes neutralises them.
    response = HttpResponse(csv_bytes(["line", "reason"], batch.refusals), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="refused-rows-{batch.pk}.csv"'
    return response


# --- public lookup -----------------------------------------------------------------------------------
