"""Helpers of the pages and the API: where a request came from, and a refusal shown on the next page.

The API answers refusals through its exception handler (api/errors.py); a page shows them here, in the
same words (`DomainError.words`), so a clerk reads on the page what a script reads in the JSON.
"""

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError


def client_address(request: HttpRequest) -> str:
    """The address of the client, as the reverse proxies we run report it (`KP_TRUSTED_PROXIES`, README).

    With no proxy (0), REMOTE_ADDR. Behind N proxies of our own, each appends to X-Forwarded-For the address that
    connected to it, so the N-th address from the right is the one the farthest of them saw: the client. Anything
    to its left was written by the client and is never read. A request with fewer addresses than that did not come
    through every proxy, so it gets REMOTE_ADDR.
    """
    proxies = settings.TRUSTED_PROXIES
    if proxies:
        forwarded = [a.strip() for a in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if a.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def request_source(request: HttpRequest, channel: str = "web") -> str:
    """What the audit log keeps as the source of a change: "web 10.0.0.7" or "api 10.0.0.7"."""
    return f"{channel} {client_address(request)}"


def show_refusal(request: HttpRequest, exc: DomainError, labels: Mapping[str, Any] | None = None) -> None:
    """The refusal as an error message on the next page; `labels` name the form's fields for its problems."""
    messages.error(request, exc.words(labels))
