"""Addresses of the committees' result pages (namespace `results`, office/urls.py)."""

from django.urls import path

from office.outcomes import views

urlpatterns = [
    path("<slug:slug>/results/<str:code>/", views.constituency_result, name="constituency-result"),
    path("<slug:slug>/results/<str:code>/round/", views.round_open, name="round-open"),
    path("<slug:slug>/results/<str:code>/decision/", views.decision_record, name="decision-record"),
    path("<slug:slug>/results/<str:code>/publish/", views.result_publish, name="result-publish"),
    path("<slug:slug>/turnout/publish/", views.turnout_publish, name="turnout-publish"),
    path("<slug:slug>/contests/<str:contest>/results/", views.contest_result, name="contest-result"),
    path("<slug:slug>/flags/<int:flag_id>/", views.flag_resolve, name="flag-resolve"),
]
