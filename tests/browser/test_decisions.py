"""A committee member settles a tie on a phone (CONTRACT §10, Art. 78(4)): the result page leads to the decision
page, a wrong choice is explained beside the field, and the result then reads `decided` with the decision."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.results.result_helpers import load, minutes, xa_votes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def login(browser, base, username):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def test_a_committee_member_settles_a_tie_on_a_phone(world, live_server, browser, shot):
    # given XA1 tied for its second seat
    load(world.election, minutes("U1", "XA", xa_votes("XA1", 600, 500, 500)))
    base = live_server.url
    page = login(browser, base, "committee_c1")
    page.goto(f"{base}/elections/world-2021/results/XA1/")
    # when they follow the result page's link to the decision page
    page.click("[data-testid=decision-link]")
    assert page.url.endswith("/results/XA1/decision/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "decision-form")
    # a wrong choice (both tied candidates for one seat) is refused beside the field
    page.check("input[value=tie_settled]")
    for box in page.locator("input[name=elected]").all():
        box.check()
    page.fill("#id_body", "Ủy ban bầu cử xã C1")
    page.fill("#id_reference", "Nghị quyết số 3/NQ-UBBC")
    page.fill("#id_date", "27/05/2021")
    page.click("[data-testid=decision-form] button[type=submit]")
    assert page.locator(".errorlist").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "decision-form-refused")
    # then one of them: the result is decided and lists the decision
    page.locator("input[name=elected]").last.uncheck()
    page.click("[data-testid=decision-form] button[type=submit]")
    page.wait_for_url(f"{base}/elections/world-2021/results/XA1/")
    expect(page.locator(".badge.result-decided")).to_have_count(1)
    assert "Nghị quyết số 3/NQ-UBBC" in page.inner_text("ul.decisions")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "decision-recorded")
