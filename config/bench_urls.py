"""The site's addresses plus /bench/bare/: a Django view returning a fixed 2 KB JSON (the benchmark's baseline).

Used only by config.settings.bench; the bare view goes through the same middleware as every page.
"""

import json

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site

BARE = json.dumps({"items": [{"n": i, "text": "x" * 16} for i in range(64)]}).encode()[:2048]


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(BARE, content_type="application/json")


urlpatterns = [path("bench/bare/", bare), *site]
