"""Offline first (issue 16, point 3) in headless Chromium at phone size: with the network cut the clerk reports
turnout and submits the counting minutes; the queue shows them waiting; when the network returns they are
delivered and counted once, also when the same request is sent twice; no page with personal data is kept."""

import tempfile
from pathlib import Path

import pytest
from playwright.sync_api import expect

from demo.elections import DEMO_SLUG
from elections.models import AuditEntry
from results.models import Tally, TurnoutReport
from tests.browser.conftest import PHONE
from tests.browser.test_election_day import demo, fill_minutes, login  # noqa: F401 (demo is a fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

UNIT = f"/elections/{DEMO_SLUG}/units/BY-01/"
ENTRY = UNIT + "minutes/QH/"
TURNOUT = UNIT + "turnout/"
SHOTS = Path(tempfile.gettempdir()) / "shots-offline"  # for a person to look at

CACHED_URLS = """async () => {
  const found = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) found.push(new URL(request.url).pathname);
  }
  return found;
}"""


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def controlled(page):
    """Wait until the service worker is active, then open the page again under it (a page loaded before the
    worker took over is not always claimed)."""
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    assert page.evaluate("!!navigator.serviceWorker.controller"), "the service worker does not control the page"


def audit_count(action):
    return AuditEntry.objects.filter(action=action).count()


def states(page):
    return page.locator("#offline-queue li").evaluate_all("items => items.map(i => i.dataset.state)")


def test_offline_turnout_and_minutes_are_queued_then_delivered_once(demo, live_server, browser):  # noqa: F811
    base = live_server.url
    reported, submitted = audit_count("results.turnout.reported"), audit_count("results.tally.submitted")
    clerk = login(browser, base, "to.by01")
    # the clerk opens the unit's pages once with the network on: the worker keeps them
    clerk.goto(base + UNIT)
    controlled(clerk)
    for path in (UNIT, TURNOUT, ENTRY):
        clerk.goto(base + path)
    clerk.goto(base + f"/voters/{DEMO_SLUG}/")  # a page with personal data (or its refusal): never kept
    kept = clerk.evaluate(CACHED_URLS)
    assert {UNIT, TURNOUT, ENTRY} <= set(kept)
    assert not [p for p in kept if "/voters/" in p or "/lookup/" in p or p.startswith("/api/")]

    # with the network cut, the pages still open from the device
    clerk.context.set_offline(True)
    clerk.goto(base + TURNOUT)
    slot = clerk.locator("form.turnout-slot").first
    at = slot.locator("input[name=at]").input_value()
    slot.locator("input[name=voters_voted]").fill("123")
    slot.locator("button[type=submit]").click()
    clerk.locator("#offline-queue li[data-state=waiting]").wait_for()

    clerk.goto(base + ENTRY)
    fill_minutes(clerk)
    clerk.focus("#review-submit")
    clerk.click("#review-submit")
    clerk.locator("#summary").wait_for(state="visible")
    if clerk.locator("#summary-confirm-box").is_visible():
        clerk.check("#summary-confirm-box")
    clerk.click("#summary-confirm")
    expect(clerk.locator("#offline-queue li[data-state=waiting]")).to_have_count(2)
    assert states(clerk) == ["waiting", "waiting"]
    assert clerk.locator("#offline-queue").is_visible()
    assert clerk.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(clerk, "offline-queue-waiting")
    assert audit_count("results.turnout.reported") == reported
    assert audit_count("results.tally.submitted") == submitted

    # the network returns: both are delivered, and counted once
    clerk.context.set_offline(False)
    expect(clerk.locator("#offline-queue li[data-state=sent]")).to_have_count(2, timeout=30000)
    shot(clerk, "offline-queue-sent")
    assert TurnoutReport.objects.get(polling_unit__code="BY-01", at=at).voters_voted == 123
    tally = Tally.objects.filter(polling_unit__code="BY-01", contest__code="QH").latest("pk")
    assert tally.status == Tally.Status.SUBMITTED
    assert audit_count("results.tally.submitted") == submitted + 1
    assert audit_count("results.turnout.reported") == reported + 1

    # the same request sent again (a retry whose answer was lost) counts once
    again = clerk.evaluate(
        """async () => {
          const [item] = (await KPQueue.all()).filter((i) => i.url.endsWith("/submit/"));
          const r = await fetch(item.url, {method: item.method, body: item.body, credentials: "same-origin",
            headers: {"Content-Type": "application/json", "Idempotency-Key": item.key, "X-CSRFToken": item.csrf}});
          return [r.status, r.headers.get("Idempotent-Replayed")];
        }"""
    )
    assert again == [200, "true"]
    assert audit_count("results.tally.submitted") == submitted + 1

    # the clerk's home shows the queue too
    clerk.goto(base + "/")
    clerk.locator("#offline-queue li[data-state=sent]").first.wait_for()
    shot(clerk, "offline-queue-home")


def test_a_refused_request_shows_the_servers_message(demo, live_server, browser):  # noqa: F811
    base = live_server.url
    reported = audit_count("results.turnout.reported")
    clerk = login(browser, base, "to.by01")
    clerk.goto(base + TURNOUT)
    controlled(clerk)
    clerk.goto(base + TURNOUT)
    clerk.context.set_offline(True)
    slot = clerk.locator("form.turnout-slot").first
    slot.locator("input[name=voters_voted]").fill("99999999")  # more than anyone could count: refused
    slot.locator("button[type=submit]").click()
    clerk.locator("#offline-queue li[data-state=waiting]").wait_for()
    clerk.context.set_offline(False)
    refused = clerk.locator("#offline-queue li[data-state=refused]")
    refused.wait_for(timeout=30000)
    assert "voters_voted" in refused.inner_text()
    shot(clerk, "offline-queue-refused")
    assert audit_count("results.turnout.reported") == reported


def test_logout_clears_the_kept_pages(demo, live_server, browser):  # noqa: F811
    base = live_server.url
    clerk = login(browser, base, "to.by01")
    clerk.goto(base + UNIT)
    controlled(clerk)
    clerk.goto(base + UNIT)
    assert UNIT in clerk.evaluate(CACHED_URLS)
    clerk.click("form[data-kp-logout] button")
    clerk.wait_for_url("**/accounts/login/**")
    assert clerk.evaluate(CACHED_URLS) == [] or UNIT not in clerk.evaluate(CACHED_URLS)
