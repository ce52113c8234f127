"""A flag in the reader's language, in templates: `{{ flag|flag_text }}`, `flag_reference`, `flag_kind`."""

from django import template

from results.flags import wording
from results.models import Flag

register = template.Library()


@register.filter
def flag_text(flag: Flag) -> str:
    return wording.text(flag)


@register.filter
def flag_reference(flag: Flag) -> str:
    return wording.reference(flag)


@register.filter
def flag_kind(flag: Flag) -> str:
    return wording.kind(flag.code)
