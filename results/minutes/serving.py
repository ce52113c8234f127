"""HTTP answers that serve a minute's PDF, shared by the staff pages, the API and the public verification page.

`serve` picks what to show: `?version=N` that version; else the newest issued version while it is current,
or a draft of the data as it stands for those who may see unpublished data. Every answer carries the
version, whether it is current, and its verification address in headers.
"""

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse

from results.minutes import data as md
from results.minutes import rendering as documents
from results.minutes import services as svc
from results.models import Minute, Tally
from results.permissions import TallyScope


def language(request: HttpRequest) -> str:
    """`?lang=en` or `?lang=vi` when given, else the page's language."""
    return documents.language_of(request.GET.get("lang") or getattr(request, "LANGUAGE_CODE", "vi"))


def round_param(request: HttpRequest) -> int | None:
    raw = request.GET.get("round", "")
    return int(raw) if raw.isdigit() and 0 < int(raw) < 100 else None


def pdf_response(content: bytes, name: str, headers: dict[str, str] | None = None) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}"'
    for key, value in (headers or {}).items():
        response[key] = value
    return response


def issued_response(minute: Minute, lang: str) -> HttpResponse:
    content = svc.minute_pdf(minute, lang)
    current = svc.currency(minute).current
    return pdf_response(
        content,
        documents.filename(minute.data, lang),
        {
            "X-Minutes-Version": str(minute.version),
            "X-Minutes-Current": "true" if current else "false",
            "X-Minutes-Verify": minute.verify_url,
            "ETag": f'"{minute.pdf_sha256}{"-en" if lang == "en" else ""}"',
        },
    )


def serve(
    request: HttpRequest,
    *,
    election: Any,
    kind: str,
    key: str,
    build: Callable[[], svc.Document],
    may_draft: bool,
) -> HttpResponse:
    """The PDF of a minute: `?version=N` that version; else the newest issued version while it is current,
    or a draft of the data as it stands for those who may see unpublished data (`may_draft`).

    Answers 409 with the reason when there is nothing to show yet (`MinutesUnavailable`).
    """
    try:
        return _serve(request, election=election, kind=kind, key=key, build=build, may_draft=may_draft)
    except md.MinutesUnavailable as exc:
        return minutes_unavailable(exc)


def _serve(
    request: HttpRequest,
    *,
    election: Any,
    kind: str,
    key: str,
    build: Callable[[], svc.Document],
    may_draft: bool,
) -> HttpResponse:
    lang = language(request)
    raw = request.GET.get("version", "")
    if raw:
        minute = (
            Minute.objects.filter(election=election, kind=kind, key=key, version=int(raw)).first()
            if raw.isdigit() and len(raw) < 9
            else None
        )
        if minute is None:
            raise Http404("No such version")
        return issued_response(minute, lang)
    newest = svc.latest(election, kind, key)
    try:
        document = build()
    except md.MinutesUnavailable:
        if newest is not None and not may_draft:
            return issued_response(newest, lang)
        raise
    if newest is not None and (newest.data_sha256 == document.data_sha256 or not may_draft):
        return issued_response(newest, lang)
    if not may_draft:
        raise Http404("No issued minute")
    content = svc.draft_pdf(document, lang)
    name = documents.filename({"source": document.source, "meta": {"key": document.key}}, lang)
    return pdf_response(content, name, {"X-Minutes-Version": "draft", "X-Minutes-Current": "false"})


def minutes_unavailable(exc: md.MinutesUnavailable) -> HttpResponse:
    return HttpResponse(exc.message, status=409, content_type="text/plain; charset=utf-8")


def counting_pdf_of(request: HttpRequest, scope: TallyScope) -> HttpResponse:
    """The counting minutes' PDF of a tally its reader may see (page and API): `?round=`, `?version=`, `?lang=`."""
    number = round_param(request)
    return serve(
        request,
        election=scope.election,
        kind=Minute.Kind.COUNTING,
        key=key_for_version(scope, number),
        build=lambda: svc.counting_document(scope, number),
        may_draft=True,
    )


def key_for_version(scope: TallyScope, round_number: int | None) -> str:
    """The key of the newest attempt of the round, approved or not (an annulled attempt keeps its versions)."""
    number = round_number or scope.constituency.current_round
    tally = (
        Tally.objects.filter(polling_unit=scope.unit, contest=scope.contest, round=number).order_by("-attempt").first()
    )
    if tally is None:
        raise Http404("No tally")
    return md.counting_key(scope, tally)


def minute_by_token(token: str) -> Minute:
    minute = (
        Minute.objects.filter(token=token[:40])
        .select_related("election", "tally__polling_unit", "tally__contest", "constituency", "contest", "area")
        .first()
    )
    if minute is None:
        raise Http404("No minute has this address")
    return minute
