"""Election day in headless Chromium at phone size (issue 4): enter, check, submit, return, fix, approve."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_PASSWORD, DEMO_SLUG
from tests.browser.conftest import PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def login(browser, base, username):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].btn")
    page.wait_for_url(f"{base}/")
    return page


def fill_minutes(page, *, valid_offset=0):
    """Consistent figures from the prefilled voters on the list; `valid_offset` breaks valid + invalid."""
    listed = int(page.input_value("#id_voters_on_list"))
    voted = listed - 12
    page.fill("#id_voters_voted", str(voted))
    page.fill("#id_ballots_issued", str(voted))
    page.fill("#id_ballots_received", str(voted))
    page.fill("#id_invalid_ballots", "7")
    page.fill("#id_valid_ballots", str(voted - 7 + valid_offset))
    rows = page.locator("[data-candidate] input")
    for i in range(rows.count()):
        rows.nth(i).fill(str((voted - 7) // 2 + i))
    return voted


def test_clerk_board_round_trip(demo, live_server, browser, shot):
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    for contest in ("QH", "HUYEN"):
        clerk.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/{contest}/")
        voted = fill_minutes(clerk, valid_offset=3)
        # the check fails while typing, with its reason beside the field
        why = clerk.locator("#why-valid_ballots")
        assert "Valid" in why.inner_text() or "hợp lệ" in why.inner_text()
        assert clerk.locator("[data-field=valid_ballots]").get_attribute("class").find("has-error") >= 0
        shot(clerk, f"entry-{contest}-check-fails")
        # submitting is held back while a check fails
        clerk.click("#review-submit")
        assert not clerk.locator("#summary").is_visible()
        # the clerk fixes it; the message goes away
        clerk.fill("#id_valid_ballots", str(voted - 7))
        assert why.inner_text().strip() == ""
        clerk.click("#review-submit")
        assert clerk.locator("#summary").is_visible()
        shot(clerk, f"entry-{contest}-summary")
        clerk.click("#summary-confirm")
        clerk.wait_for_load_state()
        expect(clerk.locator(".badge.status-submitted")).to_have_count(1)
        shot(clerk, f"entry-{contest}-submitted")

    # the board of the National Assembly constituency returns the QH minutes with a reason
    board = login(browser, base, "ban.qh2")
    board.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/review/")
    board.fill("#return-reason", "Số phiếu hợp lệ cần kiểm tra lại theo biên bản giấy.")
    board.click("form[action$='/return/'] button")
    board.wait_for_load_state()
    expect(board.locator(".badge.status-returned")).to_have_count(1)
    shot(board, "review-returned")

    # the clerk sees the reason, fixes a number and submits again
    clerk.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/")
    assert "kiểm tra lại" in clerk.inner_text("main")
    clerk.locator("[data-candidate] input").first.fill("100")
    clerk.click("#review-submit")
    clerk.click("#summary-confirm")
    clerk.wait_for_load_state()
    expect(clerk.locator(".badge.status-submitted")).to_have_count(1)

    # the board approves
    board.goto(f"{base}/elections/{DEMO_SLUG}/units/BY-01/minutes/QH/review/")
    board.click("form[action$='/approve/'] button")
    board.wait_for_load_state()
    expect(board.locator(".badge.status-approved")).to_have_count(1)
    assert board.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(board, "review-approved")


def test_review_queue_on_a_phone(demo, live_server, browser, shot):
    page = login(browser, live_server.url, "uyban.huyen")
    page.goto(f"{live_server.url}/elections/{DEMO_SLUG}/review/?status=returned")
    assert page.locator("table.table tbody tr").count() >= 1
    shot(page, "review-queue-returned")
    page.goto(f"{live_server.url}/elections/{DEMO_SLUG}/review/?status=flagged")
    assert page.locator("table.table tbody tr").count() >= 1
    shot(page, "review-queue-flagged")
