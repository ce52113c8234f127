from django.urls import path

from . import views

app_name = "results"

TALLY = "<slug:slug>/units/<str:unit>/minutes/<str:contest>/"

urlpatterns = [
    path("<slug:slug>/review/", views.review_queue, name="review-queue"),
    path(TALLY, views.tally_entry, name="tally-entry"),
    path(TALLY + "review/", views.tally_review, name="tally-review"),
    path(TALLY + "<slug:action>/", views.tally_action, name="tally-action"),
    path("<slug:slug>/units/<str:unit>/turnout/", views.turnout_entry, name="turnout-entry"),
]
