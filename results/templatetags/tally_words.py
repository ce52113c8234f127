"""A tally version's action in the reader's language, in templates: `{{ version.action|tally_action }}`."""

from django import template

from elections import audit_codes

register = template.Library()


@register.filter
def tally_action(action: str) -> str:
    """ "approved" -> "đã duyệt"-like words of results.tally.approved; an unknown action as it is stored."""
    return audit_codes.label(f"results.tally.{action}") if action else ""
