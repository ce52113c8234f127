"""The voter list of a unit as a table (django-tables2): formatting only; the selector orders and filters."""

from collections.abc import Mapping
from typing import Any

import django_tables2 as tables
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from core.templatetags.kiemphieu import birth_date
from voters.models import ACTIVE_STATUSES, Voter, VoterCategory


class VoterTable(tables.Table):
    list_number = tables.Column(verbose_name=_("No."), attrs={"td": {"class": "num"}, "th": {"class": "num"}})
    full_name = tables.Column(verbose_name=_("Full name"), order_by=("full_name", "list_number"))
    date_of_birth = tables.Column(verbose_name=_("Date of birth"))
    gender = tables.Column(verbose_name=_("Gender"))
    residence = tables.Column(verbose_name=_("Residence"))
    category = tables.Column(verbose_name=_("Category"))
    status = tables.Column(verbose_name=_("Status"))

    class Meta:
        model = Voter
        fields: tuple[str, ...] = ()
        sequence = ("list_number", "full_name", "date_of_birth", "gender", "residence", "category", "status")
        attrs = {"class": "table"}
        row_attrs = {"class": lambda record: "" if record.status in ACTIVE_STATUSES else "struck"}
        empty_text = _("No voter matches.")

    def render_list_number(self, record: Voter, value: int) -> str:
        url = reverse("voters:voter-detail", args=[record.election.slug, record.polling_unit.code, value])
        return format_html('<a href="{}">{}</a>', url, value)

    def render_full_name(self, record: Voter, value: str) -> str:
        if record.household_head:
            return format_html('{} <span class="badge">{}</span>', value, _("head of household"))
        return value

    def render_date_of_birth(self, record: Voter) -> str:
        return birth_date(record.date_of_birth_display)

    def render_gender(self, record: Voter) -> str:
        return record.get_gender_display()

    def render_residence(self, record: Voter) -> str:
        return record.get_residence_display()

    def render_category(self, record: Voter) -> str:
        if record.category == VoterCategory.ORDINARY:
            return "—"
        return format_html(
            '<span class="badge" data-category="{}">{}</span>', record.category, record.get_category_display()
        )

    def __init__(self, *args: Any, held: Mapping[int, object] | None = None, **kwargs: Any) -> None:
        # The held rows (Art. 29) whose case the reader may know of (selectors.held_shown); to anyone else a held
        # row reads exactly as a listed one.
        self.held = held or {}
        super().__init__(*args, **kwargs)

    def render_status(self, record: Voter) -> str:
        text = record.get_status_display()
        if record.pk in self.held:
            text = format_html('{} <span class="badge">{}</span>', text, _("also on another list: held"))
        return format_html("{} · {}", text, _("voted")) if record.voted_at else text
