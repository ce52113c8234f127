"""The API documentation page, served under the site's Content-Security-Policy.

Swagger UI loads its start-up script from a second request (drf-spectacular's split view), so no script is
inline, and the page's own styles are a static file. (ReDoc is not offered: it writes its styles inline at run
time and loads its logo from its makers' site, which the policy refuses.)
"""

from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerDocs(SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
