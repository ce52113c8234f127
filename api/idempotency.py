"""`Idempotency-Key` (CONTRACT §12): a request repeated with the same key by the same user gets the first
answer again and changes nothing.

`@idempotent` wraps a view's handler. Without the header the handler runs as before. With it, the key is claimed
(a row of `IdempotentRequest`, unique per user and key) in the same transaction as the handler's work and its
answer, so a request either acts and leaves its answer, or leaves nothing: a second request with the same key
waits on the first one's row (PostgreSQL) and then replays its answer. The same key with another request
(method, path or body) is refused with 422; a key that is not 1-100 visible characters with 400.
"""

import datetime as dt
import functools
import hashlib
import json
import re
import time
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request
from rest_framework.response import Response

from api.models import IdempotentRequest

HEADER = "Idempotency-Key"
KEY = re.compile(r"[\x21-\x7e]{1,100}")  # visible ASCII characters, no spaces
KEEP = dt.timedelta(hours=24)  # a key is remembered this long, then swept
WAIT_SECONDS = 2.0  # how long a request waits for another one holding the same key before 409

Handler = Callable[..., Response]


def _fingerprint(request: Request) -> str:
    data = request.data
    if hasattr(data, "lists"):  # a form's QueryDict
        data = {k: v for k, v in data.lists()}
    body = json.dumps(data, sort_keys=True, cls=DjangoJSONEncoder, ensure_ascii=False)
    whole = f"{request.method}\n{request.path}\n{body}"
    return hashlib.sha256(whole.encode()).hexdigest()


def _plain(data: Any) -> Any:
    """The answer's body as stored JSON (translated words become plain text)."""
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False))


def _refusal(status: int, message: Any) -> Response:
    return Response({"detail": message, "errors": {HEADER: [message]}}, status=status)


def _replay(row: IdempotentRequest, fingerprint: str) -> Response:
    if row.fingerprint != fingerprint:
        return _refusal(
            422,
            _("This Idempotency-Key was already used with a different request; use a new key for a new request."),
        )
    assert row.status is not None
    response = Response(row.body, status=row.status)
    response["Idempotent-Replayed"] = "true"
    return response


def _earlier(request: Request, key: str, fingerprint: str) -> Response:
    """The answer to the request that claimed this key first, once it has one; 409 if it takes too long."""
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        row = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if row is not None and (row.status is not None or row.fingerprint != fingerprint):
            return _replay(row, fingerprint)
        if time.monotonic() >= deadline:
            return _refusal(409, _("A request with this Idempotency-Key is still being processed; try again shortly."))
        time.sleep(0.05)


def sweep() -> None:
    """Forget the keys older than KEEP (called lazily, before a key is used)."""
    IdempotentRequest.objects.filter(created__lt=timezone.now() - KEEP).delete()


def idempotent(handler: Handler) -> Handler:
    """Make a view's handler (`put`, `post`) honour the `Idempotency-Key` header."""

    @functools.wraps(handler)
    def wrapper(view: Any, request: Request, *args: Any, **kwargs: Any) -> Response:
        key = request.headers.get(HEADER)
        if key is None:
            return handler(view, request, *args, **kwargs)
        if not KEY.fullmatch(key):
            return _refusal(400, _("The Idempotency-Key header must be 1 to 100 visible characters (no spaces)."))
        fingerprint = _fingerprint(request)
        sweep()
        found = IdempotentRequest.objects.filter(user=request.user, key=key).first()
        if found is not None:
            return _earlier(request, key, fingerprint)
        with transaction.atomic():
            try:
                with transaction.atomic():  # a savepoint: only the claim is undone if the key is taken
                    row = IdempotentRequest.objects.create(user=request.user, key=key, fingerprint=fingerprint)
            except IntegrityError:  # another request claimed the key first
                row = None
            if row is not None:
                response = handler(view, request, *args, **kwargs)
                if response.status_code >= 500:
                    transaction.set_rollback(True)  # a failure of ours is not an answer to keep
                    return response
                row.status = response.status_code
                row.body = _plain(response.data)
                row.save(update_fields=["status", "body"])
                return response
        return _earlier(request, key, fingerprint)

    return wrapper
