"""Official minutes in headless Chromium (issue 6): a committee member clicks through to the PDFs, issues a
minute, follows its verification page, and builds the ZIP of an area while the page shows the progress."""

import hashlib

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from elections.models import Area, Election
from results.minutes import jobs as minutes_jobs
from results.models import Minute, MinutesJob, Tally
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo(db):
    call_command("load_demo", quiet_logins=True, verbosity=0)


def fetch_pdf(page, href):
    url = href if href.startswith("http") else page.url.split("/elections/")[0] + href
    response = page.request.get(url)
    assert response.status == 200 and response.headers["content-type"] == "application/pdf", url
    body = response.body()
    assert body.startswith(b"%PDF")
    return response, body


def test_a_committee_issues_and_verifies_minutes(demo, live_server, browser, shot):
    base = live_server.url
    page = login(browser, base, "uyban.huyen")
    # the constituency result page has the button; a decided commune constituency of Hoàng Xá
    page.goto(f"{base}/elections/{DEMO_SLUG}/results/XA-HX-1/")
    page.click("[data-testid=minutes-link]")
    expect(page.locator("[data-testid=issue]")).to_have_count(1)
    _response, draft = fetch_pdf(page, page.get_attribute("[data-testid=minutes-pdf]", "href"))
    page.fill("#id_place", "Hội trường Ủy ban nhân dân xã Hoàng Xá")
    page.fill("#id_m-0-name", "Nguyễn Văn Hùng")
    page.select_option("#id_m-0-position", "head")
    page.click("[data-testid=issue]")
    expect(page.locator("ul.messages")).to_have_count(1)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "minutes-issued")
    minute = Minute.objects.get(key="XA-HX-1/r1")
    response, issued = fetch_pdf(page, page.get_attribute("[data-testid=minutes-pdf]", "href"))
    assert response.headers["x-minutes-version"] == "1"
    assert hashlib.sha256(issued).hexdigest() == minute.pdf_sha256 and issued != draft
    # anyone with the QR code's address sees the figures and that the version is current
    visitor = browser.new_page(viewport=PHONE)
    visitor.goto(minute.verify_url.replace("http://testserver", base))
    expect(visitor.locator("[data-testid=verify-current]")).to_have_count(1)
    assert "2.399" in visitor.inner_text("[data-testid=verify-figures]") or "2,399" in visitor.inner_text("main")
    shot(visitor, "minutes-verify")
    visitor.close()

    # the tally review page of an approved tally has the counting minutes' button
    tally = Tally.objects.filter(
        election__slug=DEMO_SLUG, status="approved", polling_unit__code__startswith="HX"
    ).first()
    page.goto(f"{base}/elections/{DEMO_SLUG}/units/{tally.polling_unit.code}/minutes/{tally.contest.code}/review/")
    page.click("[data-testid=minutes-link]")
    fetch_pdf(page, page.get_attribute("[data-testid=minutes-pdf]", "href") + "&lang=en")

    # the contest result page links the summary minutes of each commune
    page.goto(f"{base}/elections/{DEMO_SLUG}/contests/XA/results/")
    page.locator("[data-testid=summary-link]", has_text="Hoàng Xá").click()
    fetch_pdf(page, page.get_attribute("[data-testid=minutes-pdf]", "href"))
    page.close()


def test_the_zip_of_an_area_shows_its_progress(demo, live_server, browser, shot):
    base = live_server.url
    page = login(browser, base, "uyban.huyen")
    area = Area.objects.get(election__slug=DEMO_SLUG, code="PT-TT-HX")
    page.goto(f"{base}/elections/{DEMO_SLUG}/areas/{area.code}/")
    page.click("[data-testid=area-minutes]")
    # a job waiting for its runner: the page polls it...
    job = MinutesJob.objects.create(
        election=Election.objects.get(slug=DEMO_SLUG), area=area, requested_by=page_user("uyban.huyen")
    )
    page.goto(f"{base}/elections/{DEMO_SLUG}/official-minutes/areas/{area.code}/?job={job.pk}")
    assert page.get_attribute("#job", "data-status") == "queued"
    assert page.locator("[data-testid=zip-download]").is_hidden()
    # ...and offers the ZIP once the runner (here: this test) has built it
    minutes_jobs.job_run(job.pk, workers=1)
    page.wait_for_selector("[data-testid=zip-download]", state="visible", timeout=15000)
    assert page.get_attribute("#job", "data-status") == "done"
    assert page.evaluate("document.getElementById('job-progress').value") == 100
    shot(page, "minutes-zip")
    with page.expect_download() as info:
        page.click("[data-testid=zip-download]")
    assert info.value.suggested_filename.endswith(".zip")
    page.goto(page.url)  # a fresh page: a download leaves a navigation pending that a loaded machine may not finish
    # the button starts a new job (run in the request in tests) and the page lands on it, done
    page.click("[data-testid=zip-start]")
    page.wait_for_selector("[data-testid=zip-download]", state="visible")
    assert MinutesJob.objects.filter(area=area, status="done").count() == 2


def page_user(username):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username)
