"""Filters of the review queue (django-filter)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elections.models import Election, PollingUnitConstituency

from .models import Tally
from .selectors import NOT_REPORTED

STATUS_CHOICES = [
    (NOT_REPORTED, _("not yet reported")),
    *Tally.Status.choices,
    ("flagged", _("flagged")),
]


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=STATUS_CHOICES, method="filter_status")
    contest = django_filters.ChoiceFilter(label=_("Contest"), field_name="contest__code")
    q = django_filters.CharFilter(label=_("Polling unit or area"), method="filter_text")

    class Meta:
        model = PollingUnitConstituency
        fields: list[str] = []

    def __init__(self, *args: Any, election: Election, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["contest"].extra["choices"] = [(c.code, c.name) for c in election.contests.all()]

    def filter_status(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "flagged":
            return queryset.filter(open_flags__gt=0)
        return queryset.filter(tally_status=value)

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(
            Q(polling_unit__code__icontains=value)
            | Q(polling_unit__name__icontains=value)
            | Q(polling_unit__area__name__icontains=value)
        )
