"""The browser half of the Content-Security-Policy check (issue 14): the console watcher that every browser test
relies on (tests/browser/conftest.py) hears a refusal when there is one, and the pages not drawn by our own
templates work under the policy: the API documentation and the administration. (The minutes ZIP's progress script
is driven by tests/browser/test_minutes.py.)"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser.conftest import PHONE
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def test_the_watcher_hears_an_inline_style_being_refused(live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/public/")
    # when: a script (from the console: the page's own run no such thing) sets an inline style
    page.evaluate("document.body.setAttribute('style', 'color: red')")
    page.wait_for_timeout(200)
    # then: the browser refused it, and the watcher heard the refusal
    assert page.evaluate("getComputedStyle(document.body).color") != "rgb(255, 0, 0)"
    assert any("style-src" in refusal for refusal in browser.refusals), browser.refusals
    browser.refusals.clear()  # heard; this test's page is not a failure of the site
    page.close()


def test_the_api_docs_and_the_administration_work_under_the_policy(demo, live_server, browser):
    page = login(browser, live_server.url, "admin")
    # when
    page.goto(f"{live_server.url}/api/docs/")
    # then: Swagger UI started (from its script file) and drew the operations
    page.wait_for_selector(".opblock", timeout=30000)
    assert page.locator(".opblock").count() > 10
    page.goto(f"{live_server.url}/admin/elections/election/")
    page.click("#result_list tbody th a >> nth=0")
    page.wait_for_selector("#election_form")
    expect(page.locator("#election_form input[name=slug]")).to_have_count(1)
    page.close()
