"""Addresses of the clerks' entry and the reviewers' pages (namespace `results`, office/urls.py)."""

from django.urls import path

from office.tallies import entry, photos, views

TALLY = "<slug:slug>/units/<str:unit>/minutes/<str:contest>/"

urlpatterns = [
    path("<slug:slug>/review/", views.review_queue, name="review-queue"),
    path(TALLY, entry.tally_entry, name="tally-entry"),
    path(TALLY + "review/", views.tally_review, name="tally-review"),
    path(TALLY + "photos/", photos.tally_photo_add, name="tally-photo-add"),
    path(TALLY + "photos/<int:photo>/remove/", photos.tally_photo_remove, name="tally-photo-remove"),
    path(TALLY + "<slug:action>/", views.tally_action, name="tally-action"),
    path("<slug:slug>/units/<str:unit>/turnout/", entry.turnout_entry, name="turnout-entry"),
    path("<slug:slug>/flags/", views.flag_list, name="flag-list"),
]
