"""How the API answers a refusal of the domain: one shape for every `DomainError` (core/errors.py).

`{"detail": message}` with the error's status (400, 403, 409); a refusal of the input (400) adds
`"errors": {path: [message, ...]}`, the path naming the field or JSON path ("non_field_errors" for the whole).
Messages are in the reader's language: the choice of the language switch (its cookie), Vietnamese by default.
"""

from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from django.http import HttpRequest, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.urls import resolve
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, Invalid


class ErrorOut(serializers.Serializer):
    """The body of every refusal of the API (4xx), in the schema."""

    detail = serializers.CharField()
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        required=False,
        help_text='a refusal of the input: messages by field or JSON path ("non_field_errors" for the whole)',
    )


# What each refusal means, for the schema; an operation may say more of its own (`refusals(..., why={})`).
WHY = {
    400: "the input is not well formed or breaks a rule (a message per field), or the address holds a NUL character",
    401: "no credentials, or a token or session that is not valid",
    403: "your role does not allow this",
    404: "no such object, or not yours to see",
    409: "not possible in the object's state, or the version is stale",
    415: "the body is not JSON (its Content-Type)",
    422: "the Idempotency-Key was already used with a different request",
    429: "too many requests from this client; try again later",
    503: "a part the answer needs (the shared cache) does not answer; try again after Retry-After seconds",
}


def refusals(*codes: int, why: Mapping[int, str] | None = None) -> dict[int, OpenApiResponse]:
    """The documented refusals of an operation, each with the body of `ErrorOut`:
    `responses={200: X, **refusals(404)}`."""
    why = why or {}
    return {code: OpenApiResponse(ErrorOut, description=why.get(code, WHY[code])) for code in codes}


def serializer_errors(found: Any, path: str = "") -> dict[str, list[str]]:
    """DRF's nested validation errors flattened to `{path: [message, ...]}` ("members.0.name"), as `ErrorOut` says."""
    flat: dict[str, list[str]] = defaultdict(list)
    if isinstance(found, Mapping):
        for key, sub in found.items():
            whole = key == api_settings.NON_FIELD_ERRORS_KEY  # about the whole object: its own path
            inner = (path or key) if whole else (f"{path}.{key}" if path else str(key))
            for where, messages in serializer_errors(sub, inner).items():
                flat[where] += messages
    elif isinstance(found, list) and any(isinstance(item, Mapping | list) for item in found):
        for i, sub in enumerate(found):
            for where, messages in serializer_errors(sub, f"{path}[{i}]").items():
                flat[where] += messages
    elif isinstance(found, list):
        flat[path or "non_field_errors"] += [str(m) for m in found]
    else:
        flat[path or "non_field_errors"].append(str(found))
    return dict(flat)


def domain_error_response(exc: DomainError) -> Response:
    body: dict[str, Any] = {"detail": str(exc.message)}
    if isinstance(exc, Invalid) or exc.problems:
        errors: dict[str, list[str]] = defaultdict(list)
        for p in exc.problems:
            errors[p.path or "non_field_errors"].append(str(p.message))
        body["errors"] = dict(errors)
    return Response(body, status=exc.status)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: domain refusals as above, everything else as DRF answers it."""
    if isinstance(exc, DomainError):
        return domain_error_response(exc)
    return drf_exception_handler(exc, context)


@csrf_exempt  # it changes nothing: a POST to no operation gets this 404, not the CSRF page
def not_found(request: HttpRequest) -> HttpResponse:
    """An address under /api/v1/ that names no operation: `{"detail"}` with 404, like every refusal of the API.

    A GET missing its final slash is sent on to the address with it, as Django's APPEND_SLASH does elsewhere.
    """
    slash_missing = request.method in ("GET", "HEAD") and not request.path_info.endswith("/")
    if slash_missing and resolve(request.path_info + "/").func is not not_found:
        return HttpResponsePermanentRedirect(request.get_full_path(force_append_slash=True))
    return JsonResponse({"detail": _("Not found.")}, status=404, json_dumps_params={"ensure_ascii": False})
