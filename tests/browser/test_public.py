"""The public site in headless Chromium (issue 7): an anonymous visitor on a phone, in both languages.

They see turnout and the published results with their charts, never an unpublished result nor any voter's
details; the language switch works; axe-core finds no serious or critical accessibility violation.
"""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from elections.models import Candidate, Constituency
from results.models import ResultPublication
from results.outcomes import constituency as outcomes
from tests.browser.conftest import DESKTOP, PHONE
from voters.models import Voter

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SERIOUS = {"serious", "critical"}


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def serious_violations(page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results.response["violations"]
        if v.get("impact") in SERIOUS
    ]


def fits(page, viewport) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]


def test_a_visitor_follows_turnout_and_published_results(demo, live_server, browser, shot):
    base = f"{live_server.url}/public/{DEMO_SLUG}/"
    corrected = ResultPublication.objects.filter(kind="correction", current=True).select_related("constituency")[0]
    unpublished = Constituency.objects.get(election__slug=DEMO_SLUG, code="TINH-PT-1")  # proposed, not confirmed
    live = outcomes.constituency_outcome(unpublished)
    assert live.status == "decided" and live.candidates[0].votes > 0
    page = browser.new_page(viewport=PHONE)

    # the election's home: turnout during the day as a line chart, results by contest, areas
    page.goto(base)
    assert page.locator("html").get_attribute("lang") == "vi"
    chart = page.locator("figure.line-chart svg[role=img]")
    assert chart.count() == 1
    assert page.locator("figure.line-chart line.line").count() >= 4  # opening + reporting times
    assert page.locator("figure.line-chart circle.dot").count() >= 4
    assert "%" in page.inner_text("p.stat")
    assert fits(page, PHONE)
    assert serious_violations(page) == []
    shot(page, "public-home-phone")

    # drill down: the province, then its district, then a polling unit
    page.click("section[aria-labelledby=h-areas] table a >> text=Tỉnh Phú Thọ")
    assert "/areas/PT/" in page.url
    assert serious_violations(page) == []
    page.goto(f"{base}areas/PT-TT/")
    assert page.locator("table.table").count() >= 3
    assert fits(page, PHONE)
    shot(page, "public-area-phone")

    # a published (and corrected) result: winners, the share chart, the correction and its reason
    page.goto(f"{base}constituencies/{corrected.constituency.code}/")
    assert page.locator("ol.winners li").count() == corrected.seats_filled > 0
    assert page.locator("figure.share-chart svg[role=img] rect.bar").count() >= 2
    assert corrected.reason[:30] in page.inner_text(".notice.correction")
    assert fits(page, PHONE)
    assert serious_violations(page) == []
    shot(page, "public-result-phone")

    # an unpublished result: the page says so and shows none of its figures
    page.goto(f"{base}constituencies/{unpublished.code}/")
    text = page.inner_text("main")
    expect(page.locator("figure.share-chart")).to_have_count(0)
    expect(page.locator("ol.winners")).to_have_count(0)
    for c in live.candidates:
        for form in (str(c.votes), f"{c.votes:,}".replace(",", ".")):
            assert form not in text
    assert serious_violations(page) == []
    shot(page, "public-unpublished-phone")

    # no voter's details anywhere we went
    # the voters of the unit we visit (a name that is part of a candidate's is left out: candidates are public)
    candidates = list(Candidate.objects.values_list("full_name", flat=True))
    listed = (
        Voter.objects.filter(polling_unit__code="BY-01").order_by("list_number").values_list("full_name", flat=True)
    )
    names = [n for n in listed if not any(n in c for c in candidates)]
    assert len(names) > 100
    for address in ("", "areas/PT-TT/", "units/BY-01/", f"constituencies/{corrected.constituency.code}/"):
        page.goto(base + address)
        body = page.inner_text("body")
        assert not [n for n in names if n in body]


def test_language_switch_keyboard_and_accessibility(demo, live_server, browser, shot):
    base = f"{live_server.url}/public/{DEMO_SLUG}/"
    page = browser.new_page(viewport=DESKTOP)
    page.goto(base)
    assert page.locator("h2#h-turnout").inner_text() == "Số cử tri đi bầu trong ngày"
    page.click("nav.lang-links >> text=English")
    page.wait_for_url(f"{live_server.url}/en/public/{DEMO_SLUG}/")
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.locator("h2#h-turnout").inner_text() == "Turnout during the day"
    assert page.locator("nav.lang-links a[aria-current=true]").inner_text() == "English"
    shot(page, "public-home-en-desktop")
    # the first Tab reaches the skip link, which moves to the main content
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.className") == "skip"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
    # every public page, in English, passes axe-core (serious and critical)
    code = ResultPublication.objects.filter(current=True, election__slug=DEMO_SLUG)[0].constituency.code
    for address in (
        "",
        "areas/PT/",
        "contests/XA/",
        f"constituencies/{code}/",
        "constituencies/QH-PT-2/",
        "units/BY-01/",
        "data/",
        "where-to-vote/",
    ):
        page.goto(f"{live_server.url}/en/public/{DEMO_SLUG}/{address}")
        assert serious_violations(page) == [], address
    page.goto(f"{live_server.url}/en/public/{DEMO_SLUG}/contests/XA/")
    shot(page, "public-contest-en-desktop")
    # the switch keeps the page: back to Vietnamese on the same contest
    page.click("nav.lang-links >> text=Tiếng Việt")
    page.wait_for_url(f"{live_server.url}/public/{DEMO_SLUG}/contests/XA/")
    assert page.locator("html").get_attribute("lang") == "vi"


def test_the_where_do_i_vote_lookup_is_linked_and_works(demo, live_server, browser):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/en/public/{DEMO_SLUG}/")
    page.click("nav.public-nav >> text=Where do I vote?")
    page.wait_for_url(f"{live_server.url}/en/public/{DEMO_SLUG}/where-to-vote/")
    expect(page.locator("label[for=id_national_id]")).to_have_count(1)
    page.fill("#id_national_id", "000000000000")
    page.fill("#id_date_of_birth", "1970-01-01")
    page.click("button[type=submit].btn")
    expect(page.locator(".alert[role=alert]")).to_have_count(1)
    assert serious_violations(page) == []
