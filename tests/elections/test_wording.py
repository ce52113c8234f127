"""The legal checks of the structure are worded in the reader's language from their code and figures."""

from django.utils import translation

from core.law import article_words
from elections import rules, wording


def test_a_small_polling_unit_in_vietnamese_and_english():
    (finding,) = rules.check_polling_unit(voters=280)
    with translation.override("vi"):
        assert wording.finding_text(finding).startswith("280 cử tri, ít hơn 300")
        assert wording.finding_article(finding) == "Điều 11"
    with translation.override("en"):
        assert wording.finding_text(finding).startswith("280 voters, fewer than 300")
        assert wording.finding_article(finding) == "Art. 11"


def test_too_few_candidates_groups_its_numbers():
    (finding,) = rules.check_constituency(level="commune_council", seats=4, candidates=6)
    with translation.override("vi"):
        assert wording.finding_text(finding) == "6 người ứng cử cho 4 ghế; luật yêu cầu ít nhất 7"
        assert wording.finding_article(finding) == "Điều 58(3)"


def test_a_finding_without_figures_keeps_its_words():
    old = rules.Finding("polling_unit_large", "5000 voters, more than 4000", "Art. 11")
    with translation.override("vi"):
        assert wording.finding_text(old) == "5000 voters, more than 4000"


def test_article_ranges_and_the_specification_are_worded():
    with translation.override("vi"):
        assert article_words("Art. 73-74; spec §6") == "Điều 73-74; đặc tả §6"
