"""Public addresses of issued minutes (no login): the verification page a QR code opens, and its PDF."""

from django.urls import path

from public import verify

urlpatterns = [
    path("<str:token>/", verify.verify, name="minutes-verify"),
    path("<str:token>/pdf/", verify.verify_pdf, name="minutes-verify-pdf"),
    # Anything else under verify/ (a link cut off or mistyped when copied from paper) gets the same help page.
    path("", verify.not_found),
    path("<path:token>", verify.not_found),
]
