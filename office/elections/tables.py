"""Tables of the structure pages (django-tables2): formatting only, no queries of their own."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from elections.models import Constituency, PollingUnit

# Words of django-tables2's pagination template, which has no Vietnamese catalogue of its own.
PAGINATION_WORDS = (gettext_noop("previous"), gettext_noop("next"))


class PollingUnitTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"), linkify=lambda record: record_url(record))
    name = tables.Column(verbose_name=_("Name"))
    area = tables.Column(verbose_name=_("Area"), accessor="area__name", order_by=("area__name",))
    registered_voters = tables.Column(verbose_name=_("Voters"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = PollingUnit
        fields = ("code", "name", "area", "registered_voters")
        attrs = {"class": "table"}
        empty_text = _("No polling units.")


class ConstituencyTable(tables.Table):
    code = tables.Column(verbose_name=_("Code"), linkify=lambda record: record_url(record))
    name = tables.Column(verbose_name=_("Name"))
    contest = tables.Column(verbose_name=_("Contest"), accessor="contest__name", order_by=("contest__position",))
    seats = tables.Column(verbose_name=_("Seats"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})

    class Meta:
        model = Constituency
        fields = ("code", "name", "contest", "seats")
        attrs = {"class": "table"}
        empty_text = _("No constituencies.")


def record_url(record: PollingUnit | Constituency) -> str:
    name = "elections:unit-detail" if isinstance(record, PollingUnit) else "elections:constituency-detail"
    return reverse(name, args=[record.election.slug, record.code])
