"""Helpers of the pages and the API: where a request came from, and a refusal shown on the next page.

The API answers refusals through its exception handler (api/errors.py); a page shows them here, in the
same words (`DomainError.words`), so a clerk reads on the page what a script reads in the JSON.
"""

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest

from core.errors import DomainError


def request_source(request: HttpRequest, channel: str = "web") -> str:
    """What the audit log keeps as the source of a change: "web 10.0.0.7" or "api 10.0.0.7"."""
    return f"{channel} {request.META.get('REMOTE_ADDR', '')}"


def show_refusal(request: HttpRequest, exc: DomainError, labels: Mapping[str, Any] | None = None) -> None:
    """The refusal as an error message on the next page; `labels` name the form's fields for its problems."""
    messages.error(request, exc.words(labels))
