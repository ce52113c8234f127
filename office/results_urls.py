from django.urls import path

from office.minutes import views as minutes_views
from office.outcomes import views as outcome_views
from office.tallies import views

app_name = "results"

TALLY = "<slug:slug>/units/<str:unit>/minutes/<str:contest>/"
MINUTES = "<slug:slug>/official-minutes/"

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
    # official minutes (PDF): one page per minute with its versions, an area's minutes and their ZIP
    path(MINUTES + "units/<str:unit>/<str:contest>/", minutes_views.counting_page, name="minutes-counting"),
    path(MINUTES + "units/<str:unit>/<str:contest>/pdf/", minutes_views.counting_pdf, name="minutes-counting-pdf"),
    path(MINUTES + "results/<str:code>/", minutes_views.constituency_page, name="minutes-constituency"),
    path(MINUTES + "results/<str:code>/pdf/", minutes_views.constituency_pdf, name="minutes-constituency-pdf"),
    path(MINUTES + "areas/<str:area>/", minutes_views.area_minutes, name="minutes-area"),
    path(MINUTES + "areas/<str:area>/<str:contest>/", minutes_views.summary_page, name="minutes-summary"),
    path(MINUTES + "areas/<str:area>/<str:contest>/pdf/", minutes_views.summary_pdf, name="minutes-summary-pdf"),
    path(MINUTES + "jobs/<int:job_id>/", minutes_views.job_status, name="minutes-job"),
    path(MINUTES + "jobs/<int:job_id>/zip/", minutes_views.job_zip, name="minutes-job-zip"),
    path(MINUTES + "jobs/<int:job_id>/retry/", minutes_views.job_retry, name="minutes-job-retry"),
]
