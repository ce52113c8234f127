"""What a minute's QR code opens (no login): the version's figures, its hashes, and whether it is still current."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from results.minutes import services as svc
from results.minutes.serving import issued_response, language, minute_by_token


def not_found(request: HttpRequest, token: str = "") -> HttpResponse:
    """A mistyped or cut-off verification address: say so in the reader's language, with what to check."""
    response = render(request, "public/verify_not_found.html", status=404)
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def verify(request: HttpRequest, token: str) -> HttpResponse:
    """What a minute's QR code opens: the version's figures, its hashes, and whether it is still current."""
    try:
        minute = minute_by_token(token)
    except Http404:
        return not_found(request, token)
    state = svc.currency(minute)
    data = minute.data
    context = {
        "minute": minute,
        "s": data["source"],
        "inputs": data.get("inputs", {}),
        "state": state,
        "election": minute.election,
        "versions": svc.versions(minute.election, minute.kind, minute.key),
    }
    response = render(request, "results/minutes_verify.html", context)
    response["Cache-Control"] = "no-cache"
    response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def verify_pdf(request: HttpRequest, token: str) -> HttpResponse:
    try:
        minute = minute_by_token(token)
    except Http404:
        return not_found(request, token)
    response = issued_response(minute, language(request))
    response["X-Robots-Tag"] = "noindex"
    return response
