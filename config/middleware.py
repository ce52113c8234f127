"""Language choice: Vietnamese unless the person picked English with the switch on the page.

Django's LocaleMiddleware also follows the browser's Accept-Language; a clerk's phone set to English
would then get English by surprise. Here only the language cookie (set by the switch) counts.
"""

from django.conf import settings
from django.http import HttpRequest, HttpResponseBadRequest
from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

PUBLIC_PREFIX = "/public/"


class ChosenLanguageMiddleware(LocaleMiddleware):
    """The public site (/public/, /en/public/) takes its language from the address alone, so its pages are
    the same for every visitor and a CDN may cache them; elsewhere the cookie of the switch decides.
    Accept-Language is never read, so responses never vary on it."""

    def process_request(self, request: HttpRequest) -> None:
        # Only an address that starts with a language's code can carry one; asking Django about others
        # ("/public/", "/api/") makes it search the locale folders for a language called "public" each time.
        code = request.path_info.split("/", 2)[1] if request.path_info.count("/") >= 2 else ""
        from_path = translation.get_language_from_path(request.path_info) if code in self._codes() else None
        if from_path or request.path_info.startswith(PUBLIC_PREFIX):
            language, request._kp_language_source = from_path or settings.LANGUAGE_CODE, "path"
        elif request.path_info.startswith("/api/"):
            # JSON answers do not depend on the language; error messages follow the cookie when there is one.
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language, request._kp_language_source = self._supported(chosen), "api"
        else:
            chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
            language, request._kp_language_source = self._supported(chosen), "cookie"
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()

    @staticmethod
    def _codes() -> set[str]:
        return {code for code, _name in settings.LANGUAGES}

    @staticmethod
    def _supported(chosen: str | None) -> str:
        supported = {code for code, _ in settings.LANGUAGES}
        return chosen if chosen in supported else settings.LANGUAGE_CODE

    def process_response(self, request: HttpRequest, response):  # type: ignore[no-untyped-def]
        if getattr(request, "_kp_language_source", "cookie") == "cookie":
            patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", translation.get_language())
        return response


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
