"""The clerk attaches a photo of the signed paper minutes from the entry page: a plain multipart form, no script."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.http import request_source
from elections.permissions import Action
from results.permissions import access_tally
from results.tallies import errors
from results.tallies import photos as svc


@login_required
@require_POST
def tally_photo_add(request: HttpRequest, slug: str, unit: str, contest: str) -> HttpResponse:
    scope = access_tally(request.user, slug, unit, contest, need=Action.ENTER)
    entry = reverse("results:tally-entry", args=[slug, unit, contest])
    upload = request.FILES.get(svc.FIELD)
    try:
        if upload is None:
            raise svc.PhotoInvalid(_("Choose a photo (JPEG or PNG) of the signed minutes."))
        svc.photo_attach(
            scope=scope, upload=upload, size=upload.size, by=request.user, source=request_source(request, "web")
        )
    except errors.TallyError as exc:
        # The figures typed on the entry page are in another form and stay as they are; this page only
        # shows the refusal beside the file input, with the way back.
        context = {"scope": scope, "election": scope.election, "photo_error": exc.message, "entry_url": entry}
        return render(request, "results/tally_photo_refused.html", context, status=400 if exc.status == 400 else 409)
    messages.success(request, _("The photo of the minutes is attached."))
    return redirect(entry + "#photos")


@login_required
@require_POST
def tally_photo_remove(request: HttpRequest, slug: str, unit: str, contest: str, photo: int) -> HttpResponse:
    """Take a wrong photo off the minutes, while the clerk may still change them."""
    scope = access_tally(request.user, slug, unit, contest, need=Action.ENTER)
    entry = reverse("results:tally-entry", args=[slug, unit, contest])
    try:
        svc.photo_remove(scope=scope, photo_id=photo, by=request.user, source=request_source(request, "web"))
    except errors.TallyError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("The photo is removed from the minutes."))
    return redirect(entry + "#photos")
