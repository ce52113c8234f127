"""How the API answers a refusal of the domain: one shape for every `DomainError` (core/errors.py).

`{"detail": message}` with the error's status (400, 403, 409); a refusal of the input (400) adds
`"errors": {path: [message, ...]}`, the path naming the field or JSON path ("non_field_errors" for the whole).
Messages are in the reader's language: the choice of the language switch (its cookie), Vietnamese by default.
"""

from collections import defaultdict
from typing import Any

from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.errors import DomainError, Invalid


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
