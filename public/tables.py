"""Tables of the public site (django-tables2): formatting only; rows come from the selectors."""

from decimal import Decimal
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.formats import date_format, number_format
from django.utils.html import format_html, format_html_join
from django.utils.timezone import localtime
from django.utils.translation import gettext_lazy as _

from elections.models import Constituency
from public.filters import RESULT_CHOICES

RESULT_LABELS = dict(RESULT_CHOICES)
NUM = {"td": {"class": "num"}, "th": {"class": "num"}}
NONE = Decimal(-1)  # sorts below every real percentage; shown as a dash


def _pct(value: Decimal | None) -> str:
    if value is None or value < 0:
        return "—"
    return f"{number_format(value, 2)} %"


def pct_value(pct: str | None) -> Decimal:
    return NONE if pct is None else Decimal(pct)


def status_badge(status: str | None, kind: str | None = None) -> str:
    if not status:
        return format_html('<span class="badge">{}</span>', _("not published"))
    badge = format_html('<span class="badge result-{}">{}</span>', status, RESULT_LABELS.get(status, status))
    if kind == "correction":
        badge += format_html(' <span class="badge sev-warning">{}</span>', _("corrected"))
    return badge


class ConstituencyTable(tables.Table):
    # the code and the name in one first column, the one a phone keeps pinned while the table scrolls
    code = tables.Column(verbose_name=_("Constituency"))
    contest = tables.Column(verbose_name=_("Contest"), accessor="contest__name", order_by=("contest__position",))
    seats = tables.Column(verbose_name=_("Seats"), attrs=NUM)
    pub_status = tables.Column(verbose_name=_("Result"), order_by=("pub_status", "code"))
    winners = tables.Column(verbose_name=_("Elected"), orderable=False, attrs={"td": {"class": "wide"}})
    n_counted = tables.Column(verbose_name=_("Units counted"), attrs=NUM)
    pub_at = tables.Column(verbose_name=_("Published"))

    class Meta:
        model = Constituency
        fields: tuple[str, ...] = ()
        sequence = ("code", "pub_status", "seats", "winners", "contest", "n_counted", "pub_at")
        attrs = {"class": "table"}
        empty_text = _("No constituency matches.")
        per_page = 50

    def render_code(self, record: Constituency, value: str) -> str:
        url = reverse("public:constituency", args=[record.election.slug, value])
        return format_html('<a href="{}">{}</a> <span class="muted small">{}</span>', url, value, record.name)

    def render_pub_status(self, record: Constituency, value: str) -> str:
        return status_badge(value, getattr(record, "pub_kind", None))

    def render_winners(self, record: Constituency, value: Any) -> str:
        if not getattr(record, "pub_status", None) or not value:
            return "—"
        return format_html_join(", ", "{}", ((name,) for name in value))

    def render_n_counted(self, record: Constituency, value: int) -> str:
        return f"{number_format(value)} / {number_format(record.n_units)}"

    def render_pub_at(self, value: Any) -> str:
        return date_format(localtime(value), "SHORT_DATETIME_FORMAT") if value else "—"  # the election's time zone


class AreaTable(tables.Table):
    name = tables.Column(verbose_name=_("Area"))
    units = tables.Column(verbose_name=_("Units reported"), attrs=NUM)
    voters_on_list = tables.Column(verbose_name=_("Voters on the lists"), attrs=NUM)
    voters_voted = tables.Column(verbose_name=_("Voted"), attrs=NUM)
    turnout = tables.Column(verbose_name=_("Turnout"), attrs=NUM)

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("No area matches.")
        per_page = 50

    def render_name(self, record: dict[str, Any], value: str) -> str:
        return format_html(
            '<a href="{}">{}</a> <span class="muted small">{}</span>', record["url"], value, record["code"]
        )

    def render_units(self, record: dict[str, Any], value: int) -> str:
        return f"{number_format(value)} / {number_format(record['units_total'])}"

    def render_voters_on_list(self, value: int) -> str:
        return number_format(value)

    def render_voters_voted(self, value: int) -> str:
        return number_format(value)

    def render_turnout(self, value: Decimal) -> str:
        return _pct(value)


class _UnitLink:
    def render_code(self, record: dict[str, Any], value: str) -> str:
        return format_html(
            '<a href="{}">{}</a> <span class="muted small">{}</span>', record["url"], value, record["name"]
        )


class UnitTable(_UnitLink, tables.Table):
    code = tables.Column(verbose_name=_("Polling unit"))
    area = tables.Column(verbose_name=_("Area"))
    listed = tables.Column(verbose_name=_("Voters on the list"), attrs=NUM)
    at = tables.Column(verbose_name=_("Last report"), attrs=NUM)
    voted = tables.Column(verbose_name=_("Voted"), attrs=NUM)
    turnout = tables.Column(verbose_name=_("Turnout"), attrs=NUM)

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("No polling unit matches.")
        per_page = 50

    def render_listed(self, value: int) -> str:
        return number_format(value)

    def render_at(self, value: str) -> str:
        return value or "—"

    def render_voted(self, value: int) -> str:
        return "—" if value < 0 else number_format(value)

    def render_turnout(self, value: Decimal) -> str:
        return _pct(value)


class PublishedUnitTable(_UnitLink, tables.Table):
    """A published constituency's units with their figures; one extra column per candidate."""

    code = tables.Column(verbose_name=_("Polling unit"))
    voters_on_list = tables.Column(verbose_name=_("Voters on the list"), attrs=NUM)
    voters_voted = tables.Column(verbose_name=_("Voted"), attrs=NUM)
    turnout = tables.Column(verbose_name=_("Turnout"), attrs=NUM)
    valid_ballots = tables.Column(verbose_name=_("Valid"), attrs=NUM)
    invalid_ballots = tables.Column(verbose_name=_("Invalid"), attrs=NUM)

    class Meta:
        attrs = {"class": "table"}
        empty_text = _("No polling unit matches.")
        per_page = 50

    def render_turnout(self, value: Decimal) -> str:
        return _pct(value)

    def value_turnout(self, value: Decimal) -> str:
        return str(value)


def candidate_columns(candidates: list[dict[str, Any]]) -> list[tuple[str, tables.Column]]:
    """One numeric column per candidate, keyed v0, v1, ... in the order of the published result."""
    return [
        (f"v{i}", tables.Column(verbose_name=c["full_name"], attrs=NUM, accessor=f"v{i}"))
        for i, c in enumerate(candidates)
    ]
