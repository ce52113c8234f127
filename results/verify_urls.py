"""Public addresses of issued minutes (no login): the verification page a QR code opens, and its PDF."""

from django.urls import path

from . import minutes_views

urlpatterns = [
    path("<str:token>/", minutes_views.verify, name="minutes-verify"),
    path("<str:token>/pdf/", minutes_views.verify_pdf, name="minutes-verify-pdf"),
]
