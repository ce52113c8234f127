"""Address of the deadlines board (namespace `results`, office/urls.py)."""

from django.urls import path

from office.deadlines import views

urlpatterns = [
    path("<slug:slug>/deadlines/", views.deadline_board, name="deadlines"),
]
