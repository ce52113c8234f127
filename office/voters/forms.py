"""Forms of the voter-list pages: shape only; the services decide what the law allows."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.dates import DayMonthYearField
from elections.models import Gender
from voters.models import Complaint, DoubleListing, RemovalReason, Residence, VoterCategory


class NationalIdField(forms.RegexField):
    def __init__(self, **kwargs: object) -> None:
        super().__init__(
            regex=r"^\d{12}$",
            max_length=12,
            min_length=12,
            label=_("National ID (12 digits)"),
            error_messages={"invalid": _("A national ID has exactly 12 digits.")},
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
            **kwargs,
        )


class UploadForm(forms.Form):
    # An empty file too goes to the upload service, which refuses it with its reason and audits it.
    file = forms.FileField(label=_("Voter file (CSV, UTF-8)"), allow_empty_file=True)
    skip_invalid = forms.BooleanField(
        label=_("Load the good rows and skip the refused ones"),
        required=False,
        help_text=_("Without this, a file with any refused row is refused whole and nothing is written."),
    )
    # The size limit is the upload service's (voters/importing/uploads.py), which audits a file refused for it.


class SettleForm(forms.Form):
    """The decision on a person listed twice (Art. 29); the service checks who may take it."""

    decision = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[
            (DoubleListing.Outcome.KEPT_FIRST, _("Keep the first listing: remove the new one")),
            (DoubleListing.Outcome.MOVED, _("Move the person to the new list: strike the first listing")),
        ],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class VoterAddForm(forms.Form):
    national_id = NationalIdField()
    full_name = forms.CharField(label=_("Full name"), max_length=200)
    date_of_birth = DayMonthYearField(label=_("Date of birth"))
    gender = forms.ChoiceField(label=_("Gender"), choices=Gender.choices)
    residence = forms.ChoiceField(label=_("Residence"), choices=Residence.choices, initial=Residence.PERMANENT)
    category = forms.ChoiceField(
        label=_("Category"),
        choices=VoterCategory.choices,
        initial=VoterCategory.ORDINARY,
        help_text=_(
            "Soldiers listed where their unit is stationed (Art. 29(3)) and people in detention or in a compulsory "
            "facility (Art. 29(5)) vote for the National Assembly and the provincial council only."
        ),
    )
    household = forms.CharField(label=_("Household"), max_length=40, required=False)
    household_head = forms.BooleanField(label=_("Head of household"), required=False)
    note = forms.CharField(
        label=_("Reason for the addition"),
        max_length=300,
        help_text=_("For example: moved here on 12/02; asked to vote where they live (Art. 32)."),
    )

    def clean_full_name(self) -> str:
        name = " ".join(self.cleaned_data["full_name"].split())
        if not name:
            raise forms.ValidationError(_("Enter the full name."))
        return name


class RemoveForm(forms.Form):
    reason = forms.ChoiceField(label=_("Reason"), choices=RemovalReason.choices)
    note = forms.CharField(label=_("Details"), max_length=300, required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class VersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CertificateAcceptForm(forms.Form):
    number = forms.CharField(label=_("Certificate number"), max_length=20)
    national_id = NationalIdField()
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


class PostForm(forms.Form):
    posted_on = DayMonthYearField(label=_("Posted on"), initial=timezone.localdate)


class ComplaintForm(forms.Form):
    kind = forms.ChoiceField(label=_("Kind"), choices=Complaint.Kind.choices)
    complainant = forms.CharField(label=_("Complainant"), max_length=200)
    list_number = forms.IntegerField(label=_("Number on the list (if any)"), min_value=1, required=False)
    text = forms.CharField(label=_("Complaint"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    received_on = DayMonthYearField(label=_("Received on"), initial=timezone.localdate)

    def clean_received_on(self) -> dt.date:
        day = self.cleaned_data["received_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("A complaint cannot be received in the future."))
        return day


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("upheld", _("uphold")), ("rejected", _("reject"))], widget=forms.RadioSelect
    )
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class CheckInForm(forms.Form):
    voter = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
