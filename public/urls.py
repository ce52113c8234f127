from django.urls import path

from public import views
from public.lookup import lookup_page

app_name = "public"

E = "<slug:slug>/"

urlpatterns = [
    path("", views.election_list, name="elections"),
    path(E, views.election_home, name="election"),
    path(E + "areas/<str:code>/", views.area_detail, name="area"),
    path(E + "contests/<str:code>/", views.contest_detail, name="contest"),
    path(E + "constituencies/<str:code>/", views.constituency_detail, name="constituency"),
    path(E + "units/<str:code>/", views.unit_detail, name="unit"),
    path(E + "where-to-vote/", lookup_page, {"template_name": "public/lookup.html"}, name="lookup"),
    path(E + "data/", views.open_data, name="open-data"),
    path(E + "data/nist-1500-100.json", views.nist_export, name="nist"),
    path(E + "data/<slug:name>.<str:fmt>", views.download, name="download"),
]
