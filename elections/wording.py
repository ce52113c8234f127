"""The legal checks of an election's structure in the reader's language, from each finding's code and figures."""

from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from core.law import article_words
from elections.rules import Finding

WORDS = {
    "seats_above_legal_maximum": _("%(seats)s seats; the law allows at most %(limit)s for this level"),
    "too_few_candidates": _("%(candidates)s candidates for %(seats)s seats; the law asks for at least %(needed)s"),
    "polling_unit_small": _(
        "%(voters)s voters, fewer than %(limit)s (lawful only in mountainous, island or scattered areas)"
    ),
    "polling_unit_large": _("%(voters)s voters, more than %(limit)s"),
    "district_council_after_two_tiers": _(
        "A district-council contest, but from 1 July 2025 local government has two tiers (province, then communes "
        "and wards) and no district level"
    ),
}
# Findings worded without figures.
WITHOUT_FIGURES = frozenset({"district_council_after_two_tiers"})


def finding_text(finding: Finding) -> str:
    """Its words with grouped numbers; a finding without its figures (an unknown code) keeps its stored words."""
    words = WORDS.get(finding.code)
    if words is not None and finding.code in WITHOUT_FIGURES:
        return str(words)
    if words is None or not finding.params:
        return finding.message
    try:
        return str(words) % {k: number_format(v, force_grouping=True) for k, v in finding.params.items()}
    except KeyError:
        return finding.message


def finding_article(finding: Finding) -> str:
    return article_words(finding.article)
