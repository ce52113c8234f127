from django.urls import path

from office.elections import views

app_name = "elections"

urlpatterns = [
    path("<slug:slug>/", views.election_detail, name="election-detail"),
    path("<slug:slug>/checks/", views.election_checks, name="election-checks"),
    path("<slug:slug>/areas/<str:code>/", views.area_detail, name="area-detail"),
    path("<slug:slug>/constituencies/<str:code>/", views.constituency_detail, name="constituency-detail"),
    path("<slug:slug>/units/<str:code>/", views.polling_unit_detail, name="unit-detail"),
]
