"""Template filters shared by the pages."""

import datetime as dt

from django import template
from django.utils import translation
from django.utils.formats import date_format

from core.law import article_words
from core.places import in_sentence

register = template.Library()


@register.filter
def birth_date(value: object) -> str:
    """A date of birth as the language writes it, keeping an unknown day or month unknown.

    "1968-03-14" -> 14/03/1968 (vi) or 1968-03-14 (en); "1968-03" -> 03/1968; "1968" -> 1968.
    """
    if isinstance(value, dt.date):
        return date_format(value, "SHORT_DATE_FORMAT")
    text = str(value or "")
    parts = text.split("-")
    try:
        if len(parts) == 3:
            return date_format(dt.date.fromisoformat(text), "SHORT_DATE_FORMAT")
        if len(parts) == 2:
            return f"{parts[1]}/{parts[0]}"
    except ValueError:
        return text
    return text


@register.filter
def iso_day(value: object) -> str:
    """A day kept as ISO text in recorded data ("2026-03-17") as the language writes it; other text unchanged."""
    try:
        return date_format(dt.date.fromisoformat(str(value or "")), "SHORT_DATE_FORMAT")
    except ValueError:
        return str(value or "")


@register.filter
def place(value: object) -> str:
    """An area's name inside a sentence, in the active language: "Ủy ban bầu cử {{ area.name|place }}"."""
    return in_sentence(str(value or ""), translation.get_language() or "vi")


@register.filter
def law_reference(value: object) -> str:
    """References to the law in the reader's language: "Art. 79(1), Art. 79(3)" -> "Điều 79(1), Điều 79(3)"."""
    return article_words(str(value or ""))
