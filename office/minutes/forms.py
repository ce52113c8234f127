"""The form a board or committee fills in when issuing a minute: time, place, members, witnesses, notes."""

import datetime as dt
from typing import Any

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from results.models import BodyMember

EXTRA_MEMBER_ROWS = 3


class MemberForm(forms.Form):
    # One row of a table whose header names the columns; each box still carries its own name for screen readers.
    name = forms.CharField(
        label=_("Full name"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"aria-label": _("Full name")}),
    )
    gender = forms.ChoiceField(
        label=_("Title"),
        choices=[("", _("Mr/Ms")), ("male", _("Mr")), ("female", _("Ms"))],
        required=False,
        widget=forms.Select(attrs={"aria-label": _("Title")}),
    )
    position = forms.ChoiceField(
        label=_("Position"),
        choices=BodyMember.Position.choices,
        initial="member",
        widget=forms.Select(attrs={"aria-label": _("Position")}),
    )


MAX_MEMBERS = 40
MemberFormSet = formset_factory(MemberForm, extra=EXTRA_MEMBER_ROWS, max_num=MAX_MEMBERS, validate_max=True)


def with_one_more_row(data: Any, prefix: str = "m") -> Any:
    """The posted form data with one more (empty) member row: the "add a member" button without JavaScript."""
    data = data.copy()
    key = f"{prefix}-TOTAL_FORMS"
    total = data.get(key, "0")
    data[key] = str(min(MAX_MEMBERS, int(total) + 1 if total.isdigit() else EXTRA_MEMBER_ROWS))
    return data


class IssueForm(forms.Form):
    meeting_at = forms.DateTimeField(
        label=_("Time of the meeting (leave empty to write it by hand)"),
        required=False,
        # Typed day first, whatever the browser's language (a date picker follows the browser's, not the page's).
        input_formats=["%d/%m/%Y %H:%M", "%d/%m/%Y %H.%M", "%d-%m-%Y %H:%M", "%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(
            attrs={"placeholder": _("dd/mm/yyyy hh:mm"), "inputmode": "numeric", "autocomplete": "off"},
            format="%d/%m/%Y %H:%M",
        ),
        error_messages={"invalid": _("Enter the time as day/month/year hour:minute, for example 24/05/2021 08:30.")},
    )
    place = forms.CharField(label=_("Place of the meeting"), max_length=300, required=False)
    witness_1 = forms.CharField(label=_("First witnessing voter"), max_length=200, required=False)
    witness_2 = forms.CharField(label=_("Second witnessing voter"), max_length=200, required=False)
    events = forms.CharField(
        label=_("Events and how they were resolved"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complaints_resolved = forms.CharField(
        label=_("Complaints resolved by this body"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complaints_lower = forms.CharField(
        label=_("Complaints resolved by the election teams and boards"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    complaints_forwarded = forms.CharField(
        label=_("Complaints forwarded to the body above"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def inputs(self, members: list[dict[str, Any]]) -> dict[str, Any]:
        d = self.cleaned_data
        return {
            "meeting_at": d.get("meeting_at"),
            "place": d.get("place", ""),
            "witnesses": [d.get("witness_1", ""), d.get("witness_2", "")],
            "events": d.get("events", ""),
            "complaints_resolved": d.get("complaints_resolved", ""),
            "complaints_forwarded": d.get("complaints_forwarded", ""),
            "complaints_lower": d.get("complaints_lower", ""),
            "members": members,
        }


def initial_of(inputs: dict[str, Any]) -> dict[str, Any]:
    witnesses = list(inputs.get("witnesses") or []) + ["", ""]
    meeting_at = inputs.get("meeting_at")
    return {
        "meeting_at": dt.datetime.fromisoformat(meeting_at[:16]) if meeting_at else None,
        "place": inputs.get("place", ""),
        "witness_1": witnesses[0],
        "witness_2": witnesses[1],
        "events": inputs.get("events", ""),
        "complaints_resolved": inputs.get("complaints_resolved", ""),
        "complaints_forwarded": inputs.get("complaints_forwarded", ""),
        "complaints_lower": inputs.get("complaints_lower", ""),
    }


def members_of_formset(formset: Any) -> list[dict[str, Any]]:
    return [
        {
            "name": f.cleaned_data["name"],
            "gender": f.cleaned_data.get("gender", ""),
            "position": f.cleaned_data["position"],
        }
        for f in formset.forms
        if f.cleaned_data.get("name")
    ]
