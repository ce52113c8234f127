"""Double entry in headless Chromium at phone size (issue 16, point 4; CONTRACT §12): the second clerk types the
minutes blind, both clerks and the board see the line that disagrees, and the tally is submitted once they agree."""

import pytest
from playwright.sync_api import expect

from demo.elections import DEMO_PASSWORD, DEMO_SLUG
from elections.models import Election, RoleAssignment
from results.models import Tally
from tests.browser.conftest import PHONE
from tests.browser.test_accessibility import _violations
from tests.browser.test_election_day import demo, fill_minutes, login  # noqa: F401 (demo is a fixture)
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = f"/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/"


@pytest.fixture
def second_clerk(demo):  # noqa: F811
    election = Election.objects.get(slug=DEMO_SLUG)
    election.double_entry = True
    election.save(update_fields=["double_entry"])
    first = RoleAssignment.objects.filter(user__username="to.by01", election=election).first()
    user = UserFactory(username="to.by01b")
    user.set_password(DEMO_PASSWORD)
    user.save()
    RoleAssignment.objects.create(user=user, election=election, role=first.role, polling_unit=first.polling_unit)
    return user


def first_vote(page) -> str:
    return page.locator("[data-candidate] input").first.input_value()


def test_double_entry_with_a_disagreement_then_agreement(second_clerk, live_server, browser, shot):
    base = live_server.url
    # the first clerk types and saves the minutes
    first = login(browser, base, "to.by01")
    first.goto(base + ENTRY)
    fill_minutes(first)
    typed_first_vote = first_vote(first)
    first.click("#save-draft")
    first.wait_for_load_state()
    expect(first.locator("[data-testid=double-entry]")).to_have_count(1)
    assert Tally.objects.get(polling_unit__code="BY-01", contest__code="QH").status == "draft"

    # the second clerk gets an empty form and none of the first entry's figures
    second = login(browser, base, "to.by01b")
    second.goto(base + ENTRY)
    expect(second.locator("[data-testid=blind-note]")).to_have_count(1)
    assert first_vote(second) == ""
    assert second.input_value("#id_valid_ballots") == ""
    shot(second, "double-entry-blind")
    # nor on the review page
    second.goto(base + ENTRY + "review/")
    expect(second.locator("[data-testid=figures-hidden]")).to_have_count(1)
    assert typed_first_vote not in second.inner_text("main table.table >> nth=0")

    # the second clerk mistypes one candidate's votes and saves
    second.goto(base + ENTRY)
    fill_minutes(second)
    second.locator("[data-candidate] input").first.fill(str(int(typed_first_vote) - 1))
    second.click("#save-draft")
    second.wait_for_load_state()
    differences = second.locator("[data-testid=differences] tbody tr")
    expect(differences).to_have_count(1)
    assert typed_first_vote in differences.first.inner_text()
    assert second.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert _violations(second) == []
    shot(second, "double-entry-difference-second")

    # the first clerk sees the same line, and cannot submit while the entries disagree
    first.goto(base + ENTRY)
    expect(first.locator("[data-testid=differences] tbody tr")).to_have_count(1)
    first.click("#review-submit")
    first.locator("#summary").wait_for(state="visible")
    if first.locator("#summary-confirm-box").is_visible():
        first.check("#summary-confirm-box")
    first.click("#summary-confirm")
    first.wait_for_load_state()
    expect(first.locator("[data-testid=differences] tbody tr")).to_have_count(1)
    assert Tally.objects.get(polling_unit__code="BY-01", contest__code="QH").status == "draft"
    shot(first, "double-entry-difference-first")

    # and the board of the constituency sees it too
    board = login(browser, base, "ban.qh2")
    board.goto(base + ENTRY + "review/")
    expect(board.locator("[data-testid=differences] tbody tr")).to_have_count(1)
    shot(board, "double-entry-difference-board")

    # the second clerk checks the paper, corrects the line and submits: the two agree
    second.goto(base + ENTRY)
    second.locator("[data-candidate] input").first.fill(typed_first_vote)
    second.click("#review-submit")
    second.locator("#summary").wait_for(state="visible")
    if second.locator("#summary-confirm-box").is_visible():
        second.check("#summary-confirm-box")
    second.click("#summary-confirm")
    second.wait_for_load_state()
    expect(second.locator(".badge.status-submitted")).to_have_count(1)
    tally = Tally.objects.get(polling_unit__code="BY-01", contest__code="QH")
    assert (tally.status, tally.submitted_by.username) == ("submitted", "to.by01b")
    board.goto(base + ENTRY + "review/")
    expect(board.locator("[data-testid=entries-agree]")).to_have_count(1)
    shot(board, "double-entry-agreed-board")
