"""Filters of a unit's voter list (django-filter): number or name, status, residence, category."""

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from voters.models import Residence, Voter, VoterCategory, VoterStatus
from voters.selectors import with_name_like


class VoterFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Find by number or name"), method="filter_text")
    status = django_filters.ChoiceFilter(label=_("Status"), choices=VoterStatus.choices, empty_label=_("all"))
    residence = django_filters.ChoiceFilter(label=_("Residence"), choices=Residence.choices, empty_label=_("all"))
    category = django_filters.ChoiceFilter(label=_("Category"), choices=VoterCategory.choices, empty_label=_("all"))
    voted = django_filters.BooleanFilter(
        label=_("Checked in"), field_name="voted_at", lookup_expr="isnull", exclude=True
    )

    class Meta:
        model = Voter
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = " ".join(value.split())[:100]
        if value.isdigit():
            return queryset.filter(list_number=int(value))
        return with_name_like(queryset, value) if value else queryset
