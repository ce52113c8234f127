"""Filters of the minutes' templates: numbers and percentages in the active language (vi: 1.234 and 99,74)."""

from typing import Any

from django import template

from results.minutes import rendering as documents

register = template.Library()


@register.filter
def num(value: Any) -> str:
    return documents.num(value)


@register.filter
def pctf(value: Any) -> str:
    return documents.pct(value)
