"""Results in headless Chromium at phone size (issue 5): a committee member reads a constituency's result."""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from results.models import ConstituencyResult
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def test_committee_reads_a_result_on_a_phone(demo, live_server, browser, shot):
    base = live_server.url
    page = login(browser, base, "uyban.tinh")
    # an incomplete National Assembly constituency: counted units, the margin check, the flags
    page.goto(f"{base}/elections/{DEMO_SLUG}/results/QH-PT-2/")
    main = page.inner_text("main")
    assert "QH-PT-2" in main
    expect(page.locator(".card.margin")).to_have_count(1)
    expect(page.locator("figure.share-chart svg[role=img]")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "result-incomplete")
    # the contest overview lists the constituencies with their status
    page.goto(f"{base}/elections/{DEMO_SLUG}/contests/XA/results/")
    assert page.locator("table.table tbody tr").count() >= 10
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "result-contest")
    # a decided commune constituency: winners, reasons with their articles, the chart
    decided = ConstituencyResult.objects.filter(status="decided", constituency__election__slug=DEMO_SLUG)
    code = decided.values_list("constituency__code", flat=True).first()
    page.goto(f"{base}/elections/{DEMO_SLUG}/results/{code}/")
    assert page.locator("ol.winners li").count() >= 1
    assert "78" in page.inner_text("ul.reasons")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "result-decided")
