"""Language choice: Vietnamese unless the person picked English with the switch on the page.

Django's LocaleMiddleware also follows the browser's Accept-Language; a clerk's phone set to English
would then get English by surprise. Here only the language cookie (set by the switch) counts.
"""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponseBadRequest, HttpResponseNotAllowed, JsonResponse
from django.middleware.locale import LocaleMiddleware
from django.urls import reverse
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _

from elections.permissions import needs_second_factor

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
            message = "NUL characters are not allowed in addresses."
            if request.path_info.startswith("/api/"):  # the API's refusals are JSON, as its schema says
                return JsonResponse({"detail": message}, status=400)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


PAGE_METHODS = ("GET", "HEAD", "POST")


class PageMethodsMiddleware:
    """The pages (staff, public, accounts, admin) take GET, HEAD and POST, all a browser's form can send; PUT,
    PATCH, DELETE and the rest belong to the API (/api/), whose views answer 405 where a route does not take
    them. A page view handles POST and treats anything else as a GET: without this, a DELETE would be answered
    with the page (tests/test_every_route_every_role.py)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        if request.method not in PAGE_METHODS and not request.path_info.startswith("/api/"):
            return HttpResponseNotAllowed(PAGE_METHODS)
        return self.get_response(request)


# Where a person who still owes the second factor may go: the factor's own pages, logging out, the language
# switch, static files and the public site (which needs no login at all).
SECOND_FACTOR_OPEN = (
    "/accounts/second-factor/",
    "/accounts/logout/",
    "/i18n/",
    "/static/",
    "/public/",
    "/en/public/",
    "/verify/",
)
SESSION_KEY = "kp_second_factor_needed"


class SecondFactorMiddleware:
    """Where `SECOND_FACTOR_REQUIRED` is on, administrators, boards and committees must have given their TOTP
    code in this session (django-otp's `is_verified()`) before any other page; the API answers 403."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request: HttpRequest):  # type: ignore[no-untyped-def]
        if settings.SECOND_FACTOR_REQUIRED and self._owes_factor(request):
            if request.path_info.startswith("/api/"):
                body = {"detail": str(_("Log in with your second factor (authenticator code) first."))}
                return JsonResponse(body, status=403)
            return redirect_to_login(request.get_full_path(), reverse("second-factor"), "next")
        return self.get_response(request)

    @staticmethod
    def _owes_factor(request: HttpRequest) -> bool:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_verified():
            return False
        if request.path_info.startswith(SECOND_FACTOR_OPEN):
            return False
        needed = request.session.get(SESSION_KEY)
        if needed is None:  # decided once per session: the roles are read from the database
            needed = request.session[SESSION_KEY] = needs_second_factor(user)
        return bool(needed)
