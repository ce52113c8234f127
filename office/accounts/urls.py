"""Addresses of a person's own account (beside Django's login, logout and password pages)."""

from django.urls import path

from office.accounts import views

urlpatterns = [
    path("second-factor/", views.second_factor, name="second-factor"),
]
