"""Forms of the public site."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from core.dates import DayMonthYearField, DayMonthYearInput

ID_DIGITS = 12


class NotEchoedInput(forms.TextInput):
    """A text box that a page answering the form leaves empty: the ID typed is never sent back in a page."""

    def format_value(self, value: Any) -> None:
        return None


class LookupForm(forms.Form):
    national_id = forms.CharField(
        label=_("National ID (12 digits)"),
        help_text=_("The 12 digits of the citizen identity card (CCCD), without spaces."),
        max_length=20,
        widget=NotEchoedInput(attrs={"inputmode": "numeric", "autocomplete": "off", "maxlength": "20"}),
    )
    date_of_birth = DayMonthYearField(
        label=_("Date of birth"),
        help_text=_("Day/month/year, e.g. 15/03/1985."),
        widget=DayMonthYearInput(echo=False),
    )

    def clean_national_id(self) -> str:
        value = "".join(self.cleaned_data["national_id"].split())
        if not value.isdigit():
            raise forms.ValidationError(_("A national ID is made of digits only."), code="digits")
        if len(value) != ID_DIGITS:
            raise forms.ValidationError(
                ngettext_lazy(
                    "A national ID has 12 digits; you typed %(n)d.",
                    "A national ID has 12 digits; you typed %(n)d.",
                    "n",
                ),
                code="length",
                params={"n": len(value)},
            )
        return value
