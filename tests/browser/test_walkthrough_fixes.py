"""Issue 17 in headless Chromium at phone size: the pages its walkthrough found wanting, fixed and looked at.

Each test is named after the point it covers; the screenshots are in tests/browser/screenshots/.
"""

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from results.models import Tally
from results.permissions import tally_scope
from results.tallies import corrections, records
from results.tallies.parsing import parse_tally
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
E = DEMO_SLUG


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]


def test_point1_an_auditor_reads_a_units_turnout(demo, live_server, browser, shot):
    page = login(browser, live_server.url, "kiemtoan")
    response = page.goto(f"{live_server.url}/elections/{E}/units/BY-02/turnout/")
    assert response.status == 200
    assert page.locator("input[name=voters_voted]").count() == 0  # read-only
    assert page.locator("table.table tbody tr").count() >= 4
    assert fits(page)
    shot(page, "p1-auditor-turnout")


def test_point1_a_mistyped_verification_link_explains_itself(demo, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    response = page.goto(f"{live_server.url}/verify/ABC123-mistyped/")
    assert response.status == 404
    assert page.locator("[data-testid=verify-not-found]").is_visible()
    assert "URLconf" not in page.content()
    assert fits(page)
    shot(page, "p1-verify-not-found")


def test_point2_a_pending_correction_is_an_old_to_new_table(demo, live_server, browser, shot):
    tally = (
        Tally.objects.filter(election__slug=E, status="approved", constituency__code__startswith="HUYEN-")
        .select_related("polling_unit", "contest")
        .order_by("polling_unit__code")
        .first()
    )
    scope = tally_scope(E, tally.polling_unit.code, tally.contest.code)
    content = records.tally_figures(tally)
    first, second = sorted(content["votes"])[:2]
    content["votes"][first] -= 5
    content["votes"][second] += 5
    payload, _ = parse_tally(content)
    from django.contrib.auth import get_user_model

    proposer = get_user_model().objects.get(username="uyban.huyen")
    corrections.correction_propose(scope=scope, payload=payload, reason="Chép nhầm hai dòng", by=proposer)
    page = login(browser, live_server.url, "uyban.tinh")
    page.goto(f"{live_server.url}/elections/{E}/units/{tally.polling_unit.code}/minutes/{tally.contest.code}/review/")
    table = page.locator("[data-testid=correction-diff]")
    assert table.is_visible()
    expect(table.locator("tr.changed")).to_have_count(2)
    assert "{'" not in page.inner_text("main")
    assert fits(page)
    table.scroll_into_view_if_needed()
    shot(page, "p2-correction-diff")


def test_point9_annulment_is_confirmed_on_its_own_page(demo, live_server, browser, shot):
    tally = Tally.objects.filter(election__slug=E, status="submitted").select_related("polling_unit", "contest").first()
    page = login(browser, live_server.url, "uyban.tinh")
    page.goto(f"{live_server.url}/elections/{E}/units/{tally.polling_unit.code}/minutes/{tally.contest.code}/review/")
    page.click("details.danger summary")
    page.fill("#annul-reason", "Để một người bỏ phiếu thay nhiều cử tri")
    page.click("details.danger button[type=submit]")
    assert page.locator("[data-testid=annul-confirm]").is_visible()
    tally.refresh_from_db()
    assert tally.status == "submitted"  # nothing happened yet
    assert fits(page)
    shot(page, "p9-annul-confirm")
    page.click("[data-testid=annul-confirm] button[type=submit]")
    page.wait_for_load_state()
    assert Tally.objects.filter(pk=tally.pk, status="annulled").exists()


def test_point9_the_issue_form_adds_member_rows(demo, live_server, browser, shot):
    from results.models import ResultPublication

    code = ResultPublication.objects.filter(election__slug=E, current=True).values_list(
        "constituency__code", flat=True
    )[0]
    page = login(browser, live_server.url, "uyban.huyen")
    page.goto(f"{live_server.url}/elections/{E}/official-minutes/results/{code}/")
    rows = page.locator("#member-rows tr").count()
    page.click("[data-testid=add-member]")
    page.click("[data-testid=add-member]")
    assert page.locator("#member-rows tr").count() == rows + 2  # at once, without reloading
    assert page.input_value("#id_m-TOTAL_FORMS") == str(rows + 2)
    assert fits(page)
    shot(page, "p9-member-rows")


def test_point8_the_lookup_explains_a_mistyped_id_and_takes_a_day_first_date(demo, live_server, browser, shot):
    page = browser.new_page(viewport=PHONE)
    page.goto(f"{live_server.url}/public/{E}/where-to-vote/")
    assert page.get_attribute("#id_date_of_birth", "type") == "text"
    assert page.get_attribute("#id_date_of_birth", "placeholder")
    page.fill("#id_national_id", "02506900000")
    page.fill("#id_date_of_birth", "15/03/1969")
    page.click("main form button[type=submit]")
    assert page.locator(".errorlist").first.is_visible()
    assert "11" in page.inner_text(".errorlist")
    assert fits(page)
    shot(page, "p8-lookup-short-id")
    page.fill("#id_national_id", "025069000001")
    page.fill("#id_date_of_birth", "15/03/1969")
    page.click("main form button[type=submit]")
    assert "BY-01" in page.inner_text("main")
    shot(page, "p8-lookup-found")
