"""Forms of the public site."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.widgets import DateInput


class LookupForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID (12 digits)"),
        max_length=12,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    date_of_birth = forms.DateField(label=_("Date of birth"), widget=DateInput())
