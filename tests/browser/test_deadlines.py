"""A committee member follows the late box of the home page to the deadlines board on a phone (issue 15, point 8):
each deadline is a card of its own at 375 px, nothing runs off the side, and the page needs no inline script or
style (the Content-Security-Policy watch of conftest.py)."""

import datetime as dt
import zoneinfo

import pytest

from demo.clock import demo_clock
from tests.browser.conftest import DESKTOP, PHONE
from tests.browser.test_decisions import login
from tests.results.result_helpers import load, minutes, qh_votes, xa_votes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_committee_member_reads_the_late_deadlines_on_a_phone(world, live_server, browser, shot):
    # given: U1 counted on election night; the world's election of 2021 is long past, so the rest is late
    night = dt.datetime(2021, 5, 23, 21, 0, tzinfo=zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh"))
    with demo_clock(night):
        load(
            world.election,
            minutes("U1", "QH", qh_votes(600, 550, 500, 300, 100)),
            minutes("U1", "XA", xa_votes("XA1", 600, 550, 200)),
        )
    base = live_server.url
    page = login(browser, base, "committee_p")
    # when they follow the late box of their home page
    box = page.locator("[data-testid=late-deadlines] a")
    assert box.count() == 1
    shot(page, "deadlines-home")
    box.click()
    page.wait_for_url(f"{base}/elections/world-2021/deadlines/?late=1")
    # then every late deadline is a card of its own, the column names written in it, nothing wider than the phone
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    cell = page.locator("table.deadline-table td").first
    assert cell.evaluate("e => getComputedStyle(e).display") == "flex"  # a card: each cell a line of its own
    assert page.locator("table.deadline-table thead").first.bounding_box()["height"] <= 1
    late_rows = page.locator("table.deadline-table tbody tr")
    assert late_rows.count() >= 1
    assert page.locator("tr.deadline-done_on_time").count() == 0  # only what is late
    assert "Điều 76(3)" in page.inner_text("main") or "Art. 76(3)" in page.inner_text("main")
    shot(page, "deadlines-late-phone")
    # every deadline, in English
    page.click("nav.subnav a[href='?']")
    page.click("form.lang button[value=en]")
    page.wait_for_load_state()
    assert "Counting minutes of every polling unit reach the Election Board" in page.inner_text("main")
    assert page.locator("tr.deadline-done_on_time").count() >= 1  # XA1's counting minutes, sent that night
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "deadlines-all-phone-en")
    # a wide screen shows a table with its header
    wide = browser.new_page(viewport=DESKTOP)
    wide.context.add_cookies(page.context.cookies())
    wide.goto(f"{base}/elections/world-2021/deadlines/")
    assert wide.locator("table.deadline-table td").first.evaluate("e => getComputedStyle(e).display") == "table-cell"
    assert wide.locator("table.deadline-table thead").first.bounding_box()["height"] > 10
    shot(wide, "deadlines-desktop")
