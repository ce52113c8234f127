from django.urls import path

from public import views
from public.audit import audit_page, checkpoints_json, public_key_pem, verifier_script
from public.lookup import lookup_page

app_name = "public"

E = "<slug:slug>/"

urlpatterns = [
    path("", views.election_list, name="elections"),
    # The audit log's signed checkpoints (docs/audit.md). Before the election pages: "audit" is not an election.
    path("audit/", audit_page, name="audit"),
    path("audit/checkpoints.json", checkpoints_json, name="audit-checkpoints"),
    path("audit/public-key.pem", public_key_pem, name="audit-public-key"),
    path("audit/verify_audit_export.py", verifier_script, name="audit-verifier"),
    path(E, views.election_home, name="election"),
    path(E + "areas/<str:code>/", views.area_detail, name="area"),
    path(E + "contests/<str:code>/", views.contest_detail, name="contest"),
    path(E + "constituencies/<str:code>/", views.constituency_detail, name="constituency"),
    path(E + "units/<str:code>/", views.unit_detail, name="unit"),
    path(E + "where-to-vote/", lookup_page, {"template_name": "public/lookup.html"}, name="lookup"),
    path(E + "data/", views.open_data, name="open-data"),
    # One name for both notations of the same report: {% url 'public:nist' slug=… fmt="xml" %}.
    path(E + "data/nist-1500-100.json", views.nist_export, {"fmt": "json"}, name="nist"),
    path(E + "data/nist-1500-100.xml", views.nist_export, {"fmt": "xml"}, name="nist"),
    path(E + "data/<slug:name>.<str:fmt>", views.download, name="download"),
]
