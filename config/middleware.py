"""Language choice: Vietnamese unless the person picked English with the switch on the page.

Django's LocaleMiddleware also follows the browser's Accept-Language; a clerk's phone set to English
would then get English by surprise. Here only the language cookie (set by the switch) counts.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation


class ChosenLanguageMiddleware(LocaleMiddleware):
    def process_request(self, request: HttpRequest) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _ in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


class RejectNulMiddleware:
    """A NUL character in a URL or query string is never a valid code; PostgreSQL text cannot hold it.

    Without this, a probe like /results/%00/ would reach the database and fail with a 500.
    """

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        if (
            "\x00" in request.path
            or "\x00" in request.META.get("QUERY_STRING", "")
            or "%00" in request.META.get("QUERY_STRING", "")
        ):
            return HttpResponseBadRequest("NUL characters are not allowed in addresses.")
        return self.get_response(request)
