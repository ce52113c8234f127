"""The clerk's night in headless Chromium at phone size (issue 16, points 1, 2 and 6): a tally whose figures
only warn is submitted once the warnings are confirmed; a partial draft is saved and comes back."""

import pytest
from playwright.sync_api import expect

from demo.elections import DEMO_PASSWORD, DEMO_SLUG
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import demo, fill_minutes, login  # noqa: F401 (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ENTRY = f"/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/"


def row_class(page, name: str) -> str:
    return page.locator(f"[data-field={name}]").get_attribute("class") or ""


def test_a_tally_with_warnings_is_submitted_after_confirming_them(demo, live_server, browser, shot):  # noqa: F811
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    clerk.goto(base + ENTRY)
    # given lawful minutes where one more ballot was issued than voters took part (Art. 69, a warning)
    voted = fill_minutes(clerk)
    clerk.fill("#id_ballots_issued", str(voted + 1))
    # then the line is amber, named with its article, and nothing is red
    assert "has-warning" in row_class(clerk, "ballots_issued")
    assert "has-error" not in row_class(clerk, "ballots_issued")
    assert clerk.locator("#why-ballots_issued .note.warning .tag").inner_text().endswith(("69; Art. 73", "69; Điều 73"))
    expect(clerk.locator(".row.has-error")).to_have_count(0)
    shot(clerk, "clerk-night-warning-amber")
    # when the clerk reviews, the summary lists the warning to confirm
    clerk.focus("#review-submit")  # after a full-page screenshot, leaving the input scrolls the page
    clerk.click("#review-submit")
    clerk.locator("#summary").wait_for(state="visible")
    assert clerk.locator("#summary-warnings").is_visible()
    expect(clerk.locator("#summary-warning-list li")).to_have_count(1)
    shot(clerk, "clerk-night-summary-with-warning")
    # submitting without ticking the box is held back with a word
    clerk.click("#summary-confirm")
    assert clerk.locator("#summary").is_visible()
    assert clerk.locator("#summary-status").inner_text().strip() != ""
    shot(clerk, "clerk-night-summary-tick-first")
    # and once confirmed the minutes are submitted
    clerk.check("#summary-confirm-box")
    clerk.click("#summary-confirm")
    clerk.wait_for_load_state()
    expect(clerk.locator(".badge.status-submitted")).to_have_count(1)
    assert clerk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(clerk, "clerk-night-submitted-with-warning")
    # the clerk's home says it waits for review
    clerk.goto(base + "/")
    expect(clerk.locator("[data-contest=QH] [data-next-step=wait]")).to_have_count(1)
    shot(clerk, "clerk-night-home")


def test_an_error_still_holds_the_submission_back(demo, live_server, browser, shot):  # noqa: F811
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    clerk.goto(base + ENTRY)
    fill_minutes(clerk, valid_offset=3)
    assert "has-error" in row_class(clerk, "valid_ballots")
    clerk.click("#review-submit")
    assert not clerk.locator("#summary").is_visible()
    assert clerk.locator("#entry-status").inner_text().strip() != ""  # the reason, beside the buttons
    shot(clerk, "clerk-night-error-held-back")


def test_a_partial_draft_is_saved_and_reloaded_with_its_values(demo, live_server, browser, shot):  # noqa: F811
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    clerk.goto(base + ENTRY)
    # given minutes half typed: the candidates' votes and one line are still empty
    listed = int(clerk.input_value("#id_voters_on_list"))
    clerk.fill("#id_voters_voted", str(listed - 12))
    clerk.fill("#id_ballots_issued", str(listed - 12))
    clerk.fill("#id_invalid_ballots", "7")
    # when the clerk saves the draft
    clerk.click("#save-draft")
    clerk.wait_for_load_state()
    # then it is saved: the status says draft, the values are back, what is left to do is listed and marked
    expect(clerk.locator(".badge.status-draft")).to_have_count(1)
    expect(clerk.locator(".messages li.warning")).to_have_count(1)
    assert clerk.input_value("#id_voters_voted") == str(listed - 12)
    assert clerk.input_value("#id_invalid_ballots") == "7"
    assert clerk.locator("#draft-problems li").count() >= 3
    assert "has-error" in row_class(clerk, "ballots_received")
    assert clerk.locator("#why-ballots_received").inner_text().strip() != ""  # the page script keeps the words
    assert not clerk.locator("#draft-note").is_visible()  # the server holds the figures now
    assert clerk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(clerk, "clerk-night-partial-draft-saved")
    # a fresh visit (another device) shows the same saved values
    other = login(browser, base, "to.by01")
    other.goto(base + ENTRY)
    assert other.input_value("#id_voters_voted") == str(listed - 12)
    assert other.input_value("#id_ballots_issued") == str(listed - 12)
    # typing the missing line clears its mark
    clerk.fill("#id_ballots_received", str(listed - 12))
    assert "has-error" not in row_class(clerk, "ballots_received")
    # the clerk's home offers to continue the draft
    clerk.goto(base + "/")
    expect(clerk.locator("[data-contest=QH] [data-next-step=continue]")).to_have_count(1)


def test_without_javascript_the_server_asks_to_confirm_the_warnings(demo, live_server, browser, shot):  # noqa: F811
    base = live_server.url
    context = browser.new_context(viewport=PHONE, java_script_enabled=False)
    clerk = context.new_page()
    clerk.goto(f"{base}/accounts/login/")
    clerk.fill("#id_username", "to.by01")
    clerk.fill("#id_password", DEMO_PASSWORD)
    clerk.click("form:has(#id_username) button[type=submit]")
    clerk.goto(base + ENTRY)
    voted = fill_minutes(clerk)
    clerk.fill("#id_ballots_issued", str(voted + 1))
    # the page cannot check while typing: the server answers the submission with the warnings to confirm
    clerk.click("#review-submit")
    expect(clerk.locator("#confirm-warnings li")).to_have_count(1)
    assert clerk.input_value("#id_ballots_issued") == str(voted + 1)
    assert "has-warning" in row_class(clerk, "ballots_issued")
    shot(clerk, "clerk-night-no-script-confirm")
    clerk.check("#confirm-warnings-box")
    clerk.click("#warnings-submit")
    expect(clerk.locator(".badge.status-submitted")).to_have_count(1)
    context.close()
