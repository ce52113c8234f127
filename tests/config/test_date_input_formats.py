"""Dates typed in English are day first, as in Viet Nam and Nigeria, never the US month first."""

import datetime as dt

import pytest
from django import forms
from django.utils import translation


@pytest.mark.parametrize("language", ["en", "vi"])
def test_a_day_first_date_means_the_same_day_in_both_languages(language):
    with translation.override(language):
        field = forms.DateField()
        assert field.clean("05/03/2026") == dt.date(2026, 3, 5)
        assert field.clean("2026-03-05") == dt.date(2026, 3, 5)


def test_a_us_month_first_date_is_refused_in_english():
    with translation.override("en"), pytest.raises(forms.ValidationError):
        forms.DateField().clean("03/25/2026")
