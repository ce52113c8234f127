"""Filters of the public lists (django-filter): constituencies, areas and polling units."""

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elections import filters as elections_filters
from elections.models import Area, PollingUnit
from results.rules import winners as rules

PUBLISHED, NOT_PUBLISHED, CORRECTED = "published", "not_published", "corrected"
STATE_CHOICES = [
    (PUBLISHED, _("published")),
    (NOT_PUBLISHED, _("not published yet")),
    (CORRECTED, _("corrected after publication")),
]
RESULT_CHOICES = [
    (rules.DECIDED, _("decided")),
    (rules.RE_ELECTION_REQUIRED, _("re-election required")),
    (rules.ADDITIONAL_ELECTION_REQUIRED, _("additional election required")),
    (rules.TIE_UNRESOLVED, _("tie to be settled")),
]


def _text(fields: tuple[str, ...], value: str) -> Q:
    q = Q()
    for name in fields:
        q |= Q(**{f"{name}__icontains": value.strip()})
    return q


class ConstituencyFilter(elections_filters.ConstituencyFilter):
    """The committees' filter (name or code, contest) with the publication and the result; text finds areas too."""

    state = django_filters.ChoiceFilter(
        label=_("Publication"), choices=STATE_CHOICES, method="filter_state", empty_label=_("all")
    )
    result = django_filters.ChoiceFilter(
        label=_("Result"), choices=RESULT_CHOICES, field_name="pub_status", empty_label=_("all")
    )

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_text(("code", "name", "area__name"), value))

    def filter_state(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == PUBLISHED:
            return queryset.filter(pub_status__isnull=False)
        if value == NOT_PUBLISHED:
            return queryset.filter(pub_status__isnull=True)
        return queryset.filter(pub_kind="correction")


class AreaFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")

    class Meta:
        model = Area
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_text(("code", "name"), value))


class UnitFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Polling unit or area"), method="filter_text")

    class Meta:
        model = PollingUnit
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(_text(("code", "name", "area__name"), value))
