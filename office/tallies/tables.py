"""The review queue as a table (django-tables2): formatting only."""

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from elections.models import PollingUnitConstituency
from office.tallies.filters import PUBLICATION_CHOICES, RESULT_STATUS_CHOICES, STATUS_CHOICES
from results.flags import wording
from results.models import Flag

STATUS_LABELS = dict(STATUS_CHOICES)
RESULT_LABELS = dict(RESULT_STATUS_CHOICES)
PUBLICATION_LABELS = dict(PUBLICATION_CHOICES)


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
        # what a reviewer looks for first stays next to the unit, on a phone's first screen too
        sequence = ("unit", "tally_status", "open_flags", "contest", "constituency", "area", "tally_updated")
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


class FlagTable(tables.Table):
    severity = tables.Column(verbose_name=_("Severity"))
    code = tables.Column(verbose_name=_("Kind"))
    where = tables.Column(verbose_name=_("Where"), accessor="polling_unit__code", order_by=("polling_unit__code",))
    message = tables.Column(verbose_name=_("Message"), orderable=False)
    status = tables.Column(verbose_name=_("Status"))
    created_at = tables.DateTimeColumn(verbose_name=_("Raised"), short=True)

    class Meta:
        model = Flag
        fields: tuple[str, ...] = ()
        sequence = ("severity", "code", "where", "message", "status", "created_at")
        attrs = {"class": "table"}
        empty_text = _("No flag matches.")

    def render_severity(self, record: Flag) -> str:
        return format_html('<span class="badge sev-{}">{}</span>', record.severity, record.get_severity_display())

    def render_code(self, record: Flag, value: str) -> str:
        url = reverse("results:flag-resolve", args=[record.election.slug, record.pk])
        return format_html('<a href="{}">{}</a>', url, wording.kind(record.code))

    def render_message(self, record: Flag) -> str:
        return wording.text(record)

    def render_where(self, record: Flag) -> str:
        unit = record.polling_unit.code if record.polling_unit else ""
        cons = record.constituency.code if record.constituency else ""
        return " · ".join(p for p in (unit, cons) if p) or "—"

    def render_status(self, record: Flag) -> str:
        return record.get_status_display()


class ContestConstituencyTable(tables.Table):
    """A contest's constituencies on the committee page (rows are dicts made by the view)."""

    code = tables.Column(verbose_name=_("Constituency"))
    status = tables.Column(verbose_name=_("Status"))
    counted = tables.Column(verbose_name=_("Units counted"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    seats_filled = tables.Column(verbose_name=_("Seats filled"), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    publication = tables.Column(verbose_name=_("Publication"))

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("Nothing matches.")

    def render_code(self, record: dict, value: str) -> str:
        url = reverse("results:constituency-result", args=[record["slug"], value])
        round_note = format_html(" · {} {}", _("round"), record["round"]) if record["round"] > 1 else ""
        return format_html(
            '<a href="{}">{}</a> <span class="muted small">{}{}</span>', url, record["name"], value, round_note
        )

    def render_status(self, value: str) -> str:
        return format_html('<span class="badge result-{}">{}</span>', value, RESULT_LABELS.get(value, value))

    def render_counted(self, record: dict) -> str:
        return f"{record['counted']} / {record['units']}"

    def render_seats_filled(self, record: dict) -> str:
        return f"{record['seats_filled']} / {record['seats']}"

    def render_publication(self, value: str) -> str:
        return PUBLICATION_LABELS.get(value, value)
