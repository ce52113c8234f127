from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView

from config import offline
from config.api_docs import SwaggerDocs
from office import urls as office_urls
from office.elections import views as election_views
from office.voters import urls as voters_urls
from public.lookup import lookup_page

admin.site.site_header = _("Kiểm Phiếu administration")
admin.site.site_title = _("Kiểm Phiếu")
admin.site.index_title = _("Election set-up")

urlpatterns = [
    path("", election_views.home, name="home"),
    path("favicon.ico", election_views.favicon),
    path("manifest.webmanifest", offline.manifest, name="manifest"),
    path("sw.js", offline.service_worker, name="service-worker"),  # at the root: its scope is the whole site
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/", include("office.accounts.urls")),  # the second factor
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("elections/", include("office.elections.urls")),
    # The lookup is public; the rest of the voters' pages are staff pages. One namespace, as before.
    path(
        "voters/",
        include(([path("<slug:slug>/lookup/", lookup_page, name="lookup"), *voters_urls.urlpatterns], "voters")),
    ),
    path("elections/", include(office_urls.results)),
    path("verify/", include("public.verify_urls")),  # public: where a minute's QR code points
    path("admin/", admin.site.urls),
    path("api/v1/", include("api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SwaggerDocs.as_view(url_name="schema"), name="api-docs"),
]
# The public site: Vietnamese at /public/..., English at /en/public/... (the language is in the address, so a
# CDN caches each language by address; the pages never depend on the visitor's cookies).
urlpatterns += i18n_patterns(path("public/", include("public.urls")), prefix_default_language=False)
