"""A date typed as day/month/year, whatever the browser's language (a date picker follows the browser's)."""

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

# Day first, as Vietnamese and most of the world write it; ISO too, for a pasted value or an old bookmark.
FORMATS = ("%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y-%m-%d")


class DayMonthYearInput(forms.TextInput):
    """A plain text box for dd/mm/yyyy with the digits keyboard on phones and the format shown as placeholder."""

    def __init__(self, attrs: dict[str, Any] | None = None, *, echo: bool = True) -> None:
        base = {"inputmode": "numeric", "autocomplete": "off", "placeholder": _("dd/mm/yyyy"), "maxlength": "10"}
        super().__init__(attrs={**base, **(attrs or {})})
        self.echo = echo  # False: a page answering the form never carries the typed value back (personal data)

    def format_value(self, value: Any) -> str | None:
        if not self.echo:
            return None
        if isinstance(value, dt.date):
            return value.strftime("%d/%m/%Y")
        return super().format_value(value)


class DayMonthYearField(forms.DateField):
    widget = DayMonthYearInput
    input_formats = FORMATS
    default_error_messages = {
        "invalid": _("Enter the date as day/month/year, for example 15/03/1985."),
    }

    def to_python(self, value: Any) -> dt.date | None:
        if isinstance(value, str):
            value = value.strip().replace(" ", "")
        return super().to_python(value)
