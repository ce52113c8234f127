"""The installable web app (issue 16): its manifest and the service worker, served from the root so that
the worker's scope covers every page (the worker itself keeps only the pages that opt in, core/offline.py)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from core.offline import HEADER

THEME = "#a4161a"  # --brand of static/css/app.css


@require_safe
def manifest(request: HttpRequest) -> JsonResponse:
    body = {
        "name": _("Kiểm Phiếu"),
        "short_name": _("Kiểm Phiếu"),
        "description": _("Election count: turnout and counting minutes, also without a network"),
        "start_url": reverse("home"),
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [
            {"src": static(f"img/icon-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png", "purpose": "any"}
            for size in (192, 512)
        ],
    }
    response = JsonResponse(body, json_dumps_params={"ensure_ascii": False})
    response["Content-Type"] = "application/manifest+json"
    return response


@require_safe
def service_worker(request: HttpRequest) -> HttpResponse:
    context = {"queue_script": static("js/offline-queue.js"), "header": HEADER, "static_prefix": static("")}
    response = render(request, "offline/sw.js", context, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"  # a new worker is picked up at the next visit
    return response
