"""Filters of the review queue (django-filter)."""

from typing import Any

import django_filters
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from elections.models import Constituency, Election, PollingUnitConstituency
from results.flags import wording as flag_words
from results.models import Flag, Tally
from results.tallies.selectors import NOT_REPORTED

STATUS_CHOICES = [
    (NOT_REPORTED, _("not yet reported")),
    *Tally.Status.choices,
    ("flagged", _("flagged")),
]


class ReviewFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="filter_status", empty_label=_("all")
    )
    contest = django_filters.ChoiceFilter(label=_("Contest"), field_name="contest__code", empty_label=_("all"))
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


class FlagFilter(django_filters.FilterSet):
    """Filters of the flags list: open or resolved, severity, kind, constituency, unit or words of the message."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=Flag.Status.choices, empty_label=_("all"))
    severity = django_filters.ChoiceFilter(label=_("Severity"), choices=Flag.Severity.choices, empty_label=_("all"))
    code = django_filters.ChoiceFilter(label=_("Kind"), empty_label=_("all"))
    constituency = django_filters.CharFilter(label=_("Constituency"), field_name="constituency__code")
    q = django_filters.CharFilter(label=_("Polling unit or words"), method="filter_text")

    class Meta:
        model = Flag
        fields: list[str] = []

    def __init__(self, *args: Any, codes: list[str], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.filters["code"].extra["choices"] = [(c, flag_words.kind(c)) for c in codes]

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(polling_unit__code__icontains=value) | Q(message__icontains=value))


RESULT_STATUS_CHOICES = [
    ("incomplete", _("incomplete")),
    ("decided", _("decided")),
    ("re_election_required", _("re-election required")),
    ("additional_election_required", _("additional election required")),
    ("tie_unresolved", _("tie to be settled")),
]
PUBLICATION_CHOICES = [
    ("published", _("published")),
    ("proposed", _("proposed")),
    ("not_published", _("not published")),
]


class ContestConstituencyFilter(django_filters.FilterSet):
    """Filters of a contest's constituencies on the committee page: status, publication, name or code."""

    q = django_filters.CharFilter(label=_("Name or code"), method="filter_text")
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=RESULT_STATUS_CHOICES, field_name="result_status", empty_label=_("all")
    )
    publication = django_filters.ChoiceFilter(
        label=_("Publication"), choices=PUBLICATION_CHOICES, method="filter_publication", empty_label=_("all")
    )

    class Meta:
        model = Constituency
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        return queryset.filter(Q(code__icontains=value) | Q(name__icontains=value) | Q(area__name__icontains=value))

    def filter_publication(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "published":
            return queryset.filter(is_published=True)
        if value == "proposed":
            return queryset.filter(is_published=False, is_proposed=True)
        return queryset.filter(is_published=False, is_proposed=False)
