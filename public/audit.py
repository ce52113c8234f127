"""The audit log's signed checkpoints on the public site (docs/audit.md): the page, the JSON and the public key.

No login, the same answer for every visitor. The answers change only when a checkpoint is signed (or the key
changes), so the ETag names the newest checkpoint and the key; a conditional GET that still matches gets 304.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import condition, require_safe

from elections.audit_checkpoints import checkpoints_document, key_id, public_key, public_key_info
from elections.models import AuditCheckpoint

PER_PAGE = 50


def _etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    newest = AuditCheckpoint.objects.order_by("-number").values_list("number", "signature").first()
    number, signature = newest or (0, "")
    key = key_id(public_key())
    return f"audit-{number}-{signature[:12]}-{key}-{get_language()}-{settings.PUBLIC_CACHE_RELEASE}"


def _public(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=settings.PUBLIC_MAX_AGE)
    return response


@require_safe
@condition(etag_func=_etag)
def audit_page(request: HttpRequest) -> HttpResponse:
    """What a checkpoint proves, the public key, and the checkpoints newest first, a page at a time."""
    checkpoints = Paginator(AuditCheckpoint.objects.order_by("-number"), PER_PAGE)
    page = checkpoints.get_page(request.GET.get("page"))
    newest = AuditCheckpoint.objects.order_by("-number").first()
    context = {"page": page, "key": public_key_info(), "newest": newest}
    return _public(render(request, "public/audit.html", context))


@require_safe
@condition(etag_func=_etag)
def checkpoints_json(request: HttpRequest) -> HttpResponse:
    """Every checkpoint with the public key, for observers to keep and give to the verifier."""
    response = JsonResponse(checkpoints_document(), json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Content-Disposition"] = 'attachment; filename="kiemphieu-audit-checkpoints.json"'
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)


@require_safe
@condition(etag_func=_etag)
def public_key_pem(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(public_key_info()["pem"], content_type="application/x-pem-file")
    response["Content-Disposition"] = 'attachment; filename="kiemphieu-audit-public-key.pem"'
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)


VERIFIER = Path(settings.BASE_DIR) / "tools" / "verify_audit_export.py"


@require_safe
def verifier_script(request: HttpRequest) -> HttpResponse:
    """The standalone verifier (tools/verify_audit_export.py), so an observer needs nothing but this site."""
    try:
        script = VERIFIER.read_bytes()
    except OSError:
        raise Http404("The verifier is not installed here") from None
    response = HttpResponse(script, content_type="text/x-python; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="verify_audit_export.py"'
    response["Access-Control-Allow-Origin"] = "*"
    return _public(response)
