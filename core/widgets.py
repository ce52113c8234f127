"""Form widgets shared by the staff pages and the public site."""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")
