from django.urls import path

from . import elections

app_name = "api"

urlpatterns = [
    path("me/", elections.MeView.as_view(), name="me"),
    path("elections/", elections.ElectionListView.as_view(), name="election-list"),
    path("elections/<slug:election>/", elections.ElectionDetailView.as_view(), name="election-detail"),
    path(
        "elections/<slug:election>/polling-units/<str:code>/",
        elections.PollingUnitDetailView.as_view(),
        name="polling-unit-detail",
    ),
    path(
        "elections/<slug:election>/constituencies/<str:code>/",
        elections.ConstituencyDetailView.as_view(),
        name="constituency-detail",
    ),
]
