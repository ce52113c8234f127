"""URL conf of tools/bench_tally_api.py only: the site's addresses plus /bench/drf/, a bare DRF view.

The bare view is the yardstick of the tally submissions: the same middleware, the same authentication and
permission classes as the API (the project's DRF defaults: token, then session; authenticated users only), the same
JSON parser reading the same body, and a small JSON answer. Loaded only through tools/bench_tally_settings.py.
"""

import os
from typing import Any

from django.urls import path
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from api.parsers import SafeJSONParser
from config.urls import urlpatterns as site
from elections import audit

# For comparisons only: KP_BENCH_AUDIT_TWO_STATEMENTS=1 appends audit entries as before (an INSERT, then the head's
# UPDATE) instead of one statement.
if os.environ.get("KP_BENCH_AUDIT_TWO_STATEMENTS"):
    audit._ONE_STATEMENT = 0


class BareView(APIView):
    parser_classes = [SafeJSONParser]

    def post(self, request: Request) -> Response:
        data: Any = request.data
        return Response({"ok": True, "user": request.user.pk, "keys": len(data) if isinstance(data, dict) else 0})


urlpatterns = [path("bench/drf/", BareView.as_view()), *site]
