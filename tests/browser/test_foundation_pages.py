"""Each demo login sees its own home page, in Vietnamese and English, on a phone and a desktop."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_PASSWORD, DEMO_SLUG
from tests.browser.conftest import DESKTOP, PHONE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# What each demo login must find on its home page (a code of its scope), and a page it must not reach.
HOME_EXPECTS = {
    "to.by01": ("BY-01", "/elections/phu-tho-2021/units/XL-03/"),
    "to.xl03": ("XL-03", "/elections/phu-tho-2021/units/BY-01/"),
    "ban.qh2": ("QH-PT-2", "/elections/phu-tho-2021/constituencies/QH-PT-1/"),
    "ban.huyen1": ("HUYEN-TT-1", "/elections/phu-tho-2021/constituencies/HUYEN-TT-2/"),
    "uyban.xa": ("PT-TT-BY", "/elections/phu-tho-2021/areas/PT-TT/"),
    "uyban.huyen": ("PT-TT", "/elections/phu-tho-2021/areas/PT/"),
    "uyban.tinh": ("PT", None),
    "uyban.tinh2": ("PT", None),
    "kiemtoan": (DEMO_SLUG, None),
}


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", DEMO_PASSWORD)
    page.click("button[type=submit].btn")
    page.wait_for_url(f"{base}/")


@pytest.mark.parametrize("username", sorted(HOME_EXPECTS))
def test_each_demo_login_sees_its_home(demo, live_server, browser, shot, username):
    scope_code, forbidden = HOME_EXPECTS[username]
    page = browser.new_page(viewport=PHONE)
    # when
    _login(page, live_server.url, username)
    # then: Vietnamese by default, the user's scope is shown, and the page fits a phone
    assert page.locator("html").get_attribute("lang") == "vi"
    assert scope_code in page.content()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, f"home-{username}-phone-vi")
    if forbidden:
        response = page.goto(live_server.url + forbidden)
        assert response.status == 404
    page.close()


def test_language_switch_and_formats(demo, live_server, browser, shot):
    page = browser.new_page(viewport=DESKTOP)
    _login(page, live_server.url, "uyban.huyen")
    page.goto(f"{live_server.url}/elections/{DEMO_SLUG}/")
    # Vietnamese: dd/mm/yyyy dates and 1.234 numbers
    assert "23/05/2021" in page.inner_text("main")
    assert "Ngày bầu cử" in page.inner_text("main")
    shot(page, "election-desktop-vi")
    # when: one click to English
    page.click("button[name=language][value=en]")
    page.wait_for_load_state()
    # then: the same page, in English
    assert page.locator("html").get_attribute("lang") == "en"
    assert "Election day" in page.inner_text("main")
    assert page.url.endswith(f"/elections/{DEMO_SLUG}/")
    shot(page, "election-desktop-en")
    page.set_viewport_size(PHONE)
    page.goto(f"{live_server.url}/elections/{DEMO_SLUG}/constituencies/HUYEN-TT-1/")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "constituency-phone-en")
    page.click("button[name=language][value=vi]")
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "vi"
    page.close()


def test_committee_sees_legal_warnings(demo, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    _login(page, live_server.url, "uyban.huyen")
    page.goto(f"{live_server.url}/elections/{DEMO_SLUG}/checks/")
    text = page.inner_text("main")
    assert "HUYEN-TT-4" in text and "Điều 58(3)" in text  # the article in the reader's language
    assert "TV-04" in text and "Điều 11" in text
    shot(page, "checks-phone-vi")
    page.close()


def test_login_refuses_wrong_password(demo, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "to.by01")
    page.fill("#id_password", "wrong")
    page.click("button[type=submit].btn")
    assert page.url.endswith("/accounts/login/")
    expect(page.locator("[role=alert]")).to_have_count(1)
    page.close()
