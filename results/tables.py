"""The review queue as a table (django-tables2): formatting only."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from elections.models import PollingUnitConstituency

from .filters import STATUS_CHOICES

STATUS_LABELS = dict(STATUS_CHOICES)


class ReviewTable(tables.Table):
    unit = tables.Column(
        verbose_name=_("Polling unit"), accessor="polling_unit__code", order_by=("polling_unit__code",)
    )
    area = tables.Column(verbose_name=_("Area"), accessor="polling_unit__area__name")
    contest = tables.Column(verbose_name=_("Contest"), accessor="contest__code", order_by=("contest__position",))
    constituency = tables.Column(verbose_name=_("Constituency"), accessor="constituency__code")
    tally_status = tables.Column(verbose_name=_("Status"))
    open_flags = tables.Column(verbose_name=_("Flags"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    tally_updated = tables.DateTimeColumn(verbose_name=_("Last change"), short=True)

    class Meta:
        model = PollingUnitConstituency
        fields: tuple[str, ...] = ()
        sequence = ("unit", "area", "contest", "constituency", "tally_status", "open_flags", "tally_updated")
        attrs = {"class": "table"}
        empty_text = _("Nothing matches.")

    def render_unit(self, record: PollingUnitConstituency, value: str) -> str:
        url = reverse(
            "results:tally-review",
            args=[record.polling_unit.election.slug, record.polling_unit.code, record.contest.code],
        )
        return format_html('<a href="{}">{}</a> <span class="muted">{}</span>', url, value, record.polling_unit.name)

    def render_tally_status(self, value: str) -> str:
        return format_html('<span class="badge status-{}">{}</span>', value, STATUS_LABELS.get(value, value))

    def render_open_flags(self, value: int) -> str:
        return format_html('<span class="badge flag">{}</span>', value) if value else "0"
