from django.urls import path

from . import outcome_views, views

app_name = "results"

TALLY = "<slug:slug>/units/<str:unit>/minutes/<str:contest>/"

urlpatterns = [
    path("<slug:slug>/review/", views.review_queue, name="review-queue"),
    path(TALLY, views.tally_entry, name="tally-entry"),
    path(TALLY + "review/", views.tally_review, name="tally-review"),
    path(TALLY + "<slug:action>/", views.tally_action, name="tally-action"),
    path("<slug:slug>/units/<str:unit>/turnout/", views.turnout_entry, name="turnout-entry"),
    path("<slug:slug>/results/<str:code>/", outcome_views.constituency_result, name="constituency-result"),
    path("<slug:slug>/results/<str:code>/round/", outcome_views.round_open, name="round-open"),
    path("<slug:slug>/results/<str:code>/publish/", outcome_views.result_publish, name="result-publish"),
    path("<slug:slug>/turnout/publish/", outcome_views.turnout_publish, name="turnout-publish"),
    path("<slug:slug>/contests/<str:contest>/results/", outcome_views.contest_result, name="contest-result"),
    path("<slug:slug>/flags/", views.flag_list, name="flag-list"),
    path("<slug:slug>/flags/<int:flag_id>/", outcome_views.flag_resolve, name="flag-resolve"),
]
