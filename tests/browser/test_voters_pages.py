"""In a real browser: a clerk checks a voter in on a phone, a second check-in is refused; a committee
uploads a file with a bad row and reads the report."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.voters.conftest import WORLD_ROWS, csv_text, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "world-2021"


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("button[type=submit].btn")
    page.wait_for_url(f"{base}/")


def test_clerk_checks_a_voter_in_once(world, live_server, browser, shot):
    load(world.election, *WORLD_ROWS)
    context = browser.new_context(viewport=PHONE)
    first, second = context.new_page(), context.new_page()
    _login(first, live_server.url, "clerk_u1")
    url = f"{live_server.url}/voters/{SLUG}/units/U1/check-in/?q=nguyen+van"
    # two clerks at the same table see the same voter, not yet checked in
    for page in (first, second):
        page.goto(url)
        expect(page.locator("text=Nguyễn Văn An")).to_have_count(1)
    shot(first, "voters-checkin-search-phone")
    # when: the first marks him as voted
    with first.expect_navigation():
        first.click("button:has-text('Mark as voted'), button:has-text('Đánh dấu')")
    assert first.locator(".ok").count() == 1, first.inner_text("main")
    assert first.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(first, "voters-checkin-done-phone")
    # then: the second, a moment later, is refused and told when he voted
    with second.expect_navigation():
        second.click("button:has-text('Mark as voted'), button:has-text('Đánh dấu')")
    expect(second.locator(".alert")).to_have_count(1)
    assert "Nguyễn Văn An" in second.inner_text(".alert")
    assert second.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(second, "voters-checkin-refused-phone")
    context.close()


def test_committee_uploads_a_file_with_a_bad_row(world, live_server, browser, shot, tmp_path):
    path = tmp_path / "danh-sach.csv"
    path.write_text(
        csv_text("079090000001,Nguyễn Văn An,1970-01-02,male,U1,", "079090000002,Quá Trẻ,2010-01-01,female,U1,"),
        encoding="utf-8",
    )
    page = browser.new_page(viewport=PHONE)
    _login(page, live_server.url, "committee_c1")
    page.goto(f"{live_server.url}/voters/{SLUG}/areas/C1/import/")
    page.set_input_files("input[type=file]", str(path))
    with page.expect_navigation():
        page.click("main button[type=submit].btn")
    # then: the report names the refused line and its reason, and nothing was written
    assert "/imports/" in page.url
    table = page.inner_text("table.refusals")
    assert "3" in table and "18" in table
    expect(page.locator(".alert")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "voters-import-report-phone")
    with page.expect_download() as download:
        page.click("a[href$='refused.csv']")
    assert download.value.suggested_filename.endswith(".csv")
    page.close()
