"""Filters of the structure lists (django-filter): constituencies by contest and name, units by name or area."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elections.models import Constituency, Election, PollingUnit


class ConstituencyFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")
    contest = django_filters.ChoiceFilter(label=_("Contest"), field_name="contest__code", empty_label=_("all"))

    class Meta:
        model = Constituency
        fields: list[str] = []

    def __init__(self, *args: Any, election: Election, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["contest"].extra["choices"] = [(c.code, c.name) for c in election.contests.all()]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value))


class PollingUnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Polling unit or area"), method="filter_text")

    class Meta:
        model = PollingUnit
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(area__name__icontains=value))
