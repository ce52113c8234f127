"""Template tags of the public site: the language switch (the same page in the other language)."""

from typing import Any

from django import template
from django.urls import translate_url
from django.utils.translation import get_language

register = template.Library()

LANGUAGES = (("vi", "Tiếng Việt"), ("en", "English"))


@register.simple_tag(takes_context=True)
def language_links(context: dict[str, Any]) -> list[tuple[str, str, str, bool]]:
    """(code, name, address, current) for each language; the address keeps the query string."""
    request = context["request"]
    current = get_language()
    return [(code, name, translate_url(request.get_full_path(), code), code == current) for code, name in LANGUAGES]
