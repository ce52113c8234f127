"""Addresses of the official minutes: one page per minute with its versions, an area's minutes and their ZIP
(namespace `results`, office/urls.py)."""

from django.urls import path

from office.minutes import views

MINUTES = "<slug:slug>/official-minutes/"

urlpatterns = [
    path(MINUTES + "units/<str:unit>/<str:contest>/", views.counting_page, name="minutes-counting"),
    path(MINUTES + "units/<str:unit>/<str:contest>/pdf/", views.counting_pdf, name="minutes-counting-pdf"),
    path(MINUTES + "results/<str:code>/", views.constituency_page, name="minutes-constituency"),
    path(MINUTES + "results/<str:code>/pdf/", views.constituency_pdf, name="minutes-constituency-pdf"),
    path(MINUTES + "areas/<str:area>/", views.area_minutes, name="minutes-area"),
    path(MINUTES + "areas/<str:area>/<str:contest>/", views.summary_page, name="minutes-summary"),
    path(MINUTES + "areas/<str:area>/<str:contest>/pdf/", views.summary_pdf, name="minutes-summary-pdf"),
    path(MINUTES + "jobs/<int:job_id>/", views.job_status, name="minutes-job"),
    path(MINUTES + "jobs/<int:job_id>/zip/", views.job_zip, name="minutes-job-zip"),
    path(MINUTES + "jobs/<int:job_id>/retry/", views.job_retry, name="minutes-job-retry"),
]
