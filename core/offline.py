"""Pages a clerk may open without a network (issue 16): a view opts in, and the service worker
(templates/offline/sw.js) keeps only the pages that carry this header. Never for a page with personal data."""

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse

HEADER = "X-KP-Offline"


def offline_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark the view's successful GET answers as kept on the clerk's device for use offline."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if request.method == "GET" and response.status_code == 200:
            response[HEADER] = "cache"
        return response

    return wrapper
