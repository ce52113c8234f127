"""In a real browser, on a phone: the printable voter list answers at once with its progress, then offers the PDF
(issue 17, point 5). The background is held by the test, so each step is seen, not raced."""

import pytest
from django.conf import settings

from tests.browser.conftest import PHONE
from tests.voters.conftest import WORLD_ROWS, load
from voters.models import VoterListRendering
from voters.printing import TASK, voter_list_fingerprint, voter_list_render

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
SLUG = "world-2021"
Status = VoterListRendering.Status


def _login(page, base, username):
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "pw-for-tests")
    page.click("form:has(#id_username) button[type=submit]")
    page.wait_for_url(f"{base}/")


def test_printable_list_shows_progress_then_the_pdf(world, live_server, browser, shot, monkeypatch):
    load(world.election, *WORLD_ROWS)
    unit = world.units["U1"]
    sent = []
    monkeypatch.setattr("core.tasks.send", lambda path, *args, **kwargs: sent.append((path, args)))
    context = browser.new_context(viewport=PHONE)
    host = live_server.url.split("//", 1)[1].split(":", 1)[0]
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "en", "domain": host, "path": "/"}])
    page = context.new_page()
    _login(page, live_server.url, "committee_c1")
    page.goto(f"{live_server.url}/voters/{SLUG}/units/U1/")
    # when: the link is clicked
    page.click("nav.subnav a[href$='/list.pdf']")
    # then: a page at once, waiting for the background
    text = page.locator("[data-testid=voter-print-text]")
    assert text.inner_text() == "Waiting to start…"
    assert (TASK, (unit.pk,)) in sent and not VoterListRendering.objects.exists()
    assert page.locator("[data-testid=voter-print-download]").is_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "voters-print-waiting-phone")
    # the background lays out page 2 of 3: the page shows it without a reload
    rendering = VoterListRendering.objects.create(
        polling_unit=unit,
        fingerprint=voter_list_fingerprint(unit),
        status=Status.RUNNING,
        step=5,
        pages_done=1,
        pages_total=3,
    )
    page.wait_for_function("() => document.getElementById('voter-print-progress').value == 56", timeout=10_000)
    assert text.inner_text() == "Laying out page 2 of about 3…"
    shot(page, "voters-print-progress-phone")
    # the background finishes: the PDF is offered
    VoterListRendering.objects.filter(pk=rendering.pk).update(status=Status.QUEUED)
    voter_list_render(unit.pk)
    link = page.locator("[data-testid=voter-print-download]")
    link.wait_for(state="visible", timeout=10_000)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "voters-print-ready-phone")
    # and the link opens the kept PDF
    response = context.request.get(live_server.url + link.get_attribute("href"))
    assert response.headers["content-type"] == "application/pdf" and response.body().startswith(b"%PDF")
    context.close()
