"""What a minute's QR code opens (no login): the version's figures, its hashes, and whether it is still current."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from results.minutes import services as svc
from results.minutes.serving import issued_response, language, minute_by_token


def verify(request: HttpRequest, token: str) -> HttpResponse:
    """What a minute's QR code opens: the version's figures, its hashes, and whether it is still current."""
    minute = minute_by_token(token)
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


def verify_pdf(request: HttpRequest, token: str) -> HttpResponse:
    minute = minute_by_token(token)
    response = issued_response(minute, language(request))
    response["X-Robots-Tag"] = "noindex"
    return response
