"""Addresses of the voter-list staff pages; config/urls.py puts them, with the public lookup, under `voters:`."""

from django.urls import path

from office.voters import views

unit = "<slug:slug>/units/<str:code>/"
urlpatterns = [
    path("<slug:slug>/areas/<str:code>/import/", views.import_upload, name="import"),
    path("<slug:slug>/imports/<int:pk>/", views.import_report, name="import-report"),
    path("<slug:slug>/imports/<int:pk>/refused.csv", views.import_refused_csv, name="import-refused-csv"),
    path("<slug:slug>/areas/<str:code>/listed-twice/", views.double_listings, name="double-listings"),
    path(
        "<slug:slug>/areas/<str:code>/listed-twice/<int:pk>/",
        views.double_listing_settle,
        name="double-listing-settle",
    ),
    path(unit, views.unit_list, name="unit-list"),
    path(unit + "list.pdf", views.unit_pdf, name="unit-pdf"),
    path(unit + "post/", views.unit_post, name="unit-post"),
    path(unit + "add/", views.voter_add, name="voter-add"),
    path(unit + "voters/<int:number>/", views.voter_detail, name="voter-detail"),
    path(unit + "voters/<int:number>/remove/", views.voter_remove, name="voter-remove"),
    path(unit + "voters/<int:number>/certificate/", views.voter_certificate, name="voter-certificate"),
    path(unit + "certificates/accept/", views.certificate_accept, name="certificate-accept"),
    path(unit + "complaints/", views.complaints, name="complaints"),
    path(unit + "complaints/<int:pk>/answer/", views.complaint_answer, name="complaint-answer"),
    path(unit + "check-in/", views.check_in, name="check-in"),
]
